import { hexToBytes } from '@noble/hashes/utils';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { TimelockError } from '../../src/errors/TimelockErrors';
import { LocalBeacon } from '../../src/timelock/LocalBeacon';
import { QUICKNET } from '../../src/timelock/quicknet';
import { verifyRoundSignature } from '../../src/timelock/roundSignature';
import { timelockDecrypt, timelockEncrypt } from '../../src/timelock/timelockEncrypt';
import { TLE_OVERHEAD_BYTES } from '../../src/timelock/tleCiphertext';
import {
  decryptWeightsCommit,
  encryptWeightsCommit,
  MAX_COMMIT_BYTES,
} from '../../src/timelock/weightsCommit';
import { encodeWeightsTlockPayload } from '../../src/timelock/weightsTlockPayload';
import { QUICKNET_PULSES } from '../support/quicknetPulses';

const [pulse1000, pulse2000] = QUICKNET_PULSES.map((pulse) => ({
  round: pulse.round,
  signature: hexToBytes(pulse.signatureHex),
}));

function expectCode(run: () => unknown, code: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(TimelockError);
  expect((thrown as TimelockError).code).toBe(code);
}

describe('timelocked weights commits on drand quicknet', () => {
  let hotkey: Uint8Array;
  beforeAll(async () => {
    await cryptoWaitReady();
    hotkey = new Keyring({ type: 'sr25519' }).addFromUri('//Alice').publicKey;
  });
  const payload = () => ({
    hotkey,
    uids: [0, 7, 42],
    values: [65535, 1200, 7],
    versionKey: 9011001n,
  });

  it('verifies the real quicknet signatures of rounds 1000 and 2000, and only for their round', () => {
    expect(verifyRoundSignature(QUICKNET.publicKeyHex, 1000, pulse1000!.signature)).toBe(true);
    expect(verifyRoundSignature(QUICKNET.publicKeyHex, 2000, pulse2000!.signature)).toBe(true);
    expect(verifyRoundSignature(QUICKNET.publicKeyHex, 2000, pulse1000!.signature)).toBe(false);
    expect(verifyRoundSignature(QUICKNET.publicKeyHex, 1001, pulse1000!.signature)).toBe(false);
  });

  it.each([
    ['1000', 0],
    ['2000', 1],
  ])('round-trips a payload through the signature of round %s', (_name, index) => {
    const pulse = [pulse1000!, pulse2000!][index]!;
    const commit = encryptWeightsCommit({ ...payload(), round: pulse.round });
    const plaintextLength = encodeWeightsTlockPayload(payload()).length;
    expect(commit.length).toBe(plaintextLength + TLE_OVERHEAD_BYTES);
    expect(new TextDecoder().decode(commit.subarray(-8))).toBe('AES_GCM_');
    const opened = decryptWeightsCommit(commit, pulse.signature, { round: pulse.round });
    expect(opened).toEqual(payload());
    // Two commits of the same payload share nothing but their length and suite.
    const again = encryptWeightsCommit({ ...payload(), round: pulse.round });
    expect(Buffer.from(again).equals(Buffer.from(commit))).toBe(false);
  });

  it('refuses another round’s signature, a bad signature and a wrong round claim', () => {
    const commit = encryptWeightsCommit({ ...payload(), round: 1000 });
    expectCode(() => decryptWeightsCommit(commit, pulse2000!.signature), 'TIMELOCK_WRONG_ROUND');
    expectCode(
      () => decryptWeightsCommit(commit, pulse2000!.signature, { round: 1000 }),
      'TIMELOCK_BAD_SIGNATURE',
    );
    expectCode(
      () => decryptWeightsCommit(commit, new Uint8Array(48).fill(7)),
      'TIMELOCK_BAD_SIGNATURE',
    );
    expectCode(
      () => decryptWeightsCommit(commit, pulse1000!.signature.subarray(1)),
      'TIMELOCK_BAD_SIGNATURE',
    );
  });

  it('refuses truncated, extended and tampered ciphertexts with typed errors', () => {
    const commit = encryptWeightsCommit({ ...payload(), round: 1000 });
    const open = (bytes: Uint8Array) => () => decryptWeightsCommit(bytes, pulse1000!.signature);
    for (const cut of [0, 50, 96, 100, 140, commit.length - 9, commit.length - 1]) {
      expectCode(open(commit.subarray(0, cut)), 'TIMELOCK_MALFORMED');
    }
    expectCode(open(new Uint8Array([...commit, 0])), 'TIMELOCK_MALFORMED');
    const flip = (offset: number) => {
      const copy = commit.slice();
      copy[offset]! ^= 0x01;
      return copy;
    };
    // header.v (after U and its length): sigma changes, so U no longer checks out.
    expectCode(open(flip(96 + 8 + 3)), 'TIMELOCK_WRONG_ROUND');
    // header.w: the key changes, so U no longer checks out either.
    expectCode(open(flip(96 + 40 + 8 + 3)), 'TIMELOCK_WRONG_ROUND');
    // Inside the AES-GCM body: the tag fails.
    expectCode(open(flip(96 + 80 + 8 + 8 + 2)), 'TIMELOCK_TAMPERED');
    // The cipher suite.
    expectCode(open(flip(commit.length - 1)), 'TIMELOCK_MALFORMED');
    // A length prefix that runs past the end.
    expectCode(open(flip(96 + 7)), 'TIMELOCK_MALFORMED');
  });

  it('refuses payloads over the chain’s 5 000 bytes and payloads the chain cannot decode', () => {
    const uids = Array.from({ length: 1178 }, (_, uid) => uid);
    expectCode(
      () =>
        encryptWeightsCommit({
          hotkey,
          uids,
          values: uids.map(() => 1),
          versionKey: 0n,
          round: 1000,
        }),
      'TIMELOCK_TOO_LARGE',
    );
    const fits = uids.slice(0, 1177);
    expect(
      encryptWeightsCommit({
        hotkey,
        uids: fits,
        values: fits.map(() => 1),
        versionKey: 0n,
        round: 1000,
      }).length,
    ).toBeLessThanOrEqual(MAX_COMMIT_BYTES);
    expectCode(
      () => decryptWeightsCommit(new Uint8Array(5001), pulse1000!.signature),
      'TIMELOCK_TOO_LARGE',
    );
    expectCode(
      () => encryptWeightsCommit({ ...payload(), values: [1, 2], round: 1000 }),
      'TIMELOCK_PAYLOAD_INVALID',
    );
    expectCode(
      () => encryptWeightsCommit({ ...payload(), values: [1, 2, 70_000], round: 1000 }),
      'TIMELOCK_PAYLOAD_INVALID',
    );
    expectCode(
      () => encryptWeightsCommit({ ...payload(), hotkey: new Uint8Array(31), round: 1000 }),
      'TIMELOCK_PAYLOAD_INVALID',
    );
    // A timelocked plaintext that is not a payload opens, then fails to decode.
    const notPayload = timelockEncrypt(new Uint8Array([1, 2, 3]), 1000);
    expect(timelockDecrypt(notPayload, pulse1000!.signature)).toEqual(new Uint8Array([1, 2, 3]));
    expectCode(
      () => decryptWeightsCommit(notPayload, pulse1000!.signature),
      'TIMELOCK_PAYLOAD_INVALID',
    );
  });

  it('locks to a local beacon with its own key the same way', () => {
    const beacon = LocalBeacon.generate(1_700_000_000, 3);
    expect(beacon.roundAt(1_700_000_000)).toBe(1);
    expect(beacon.roundAt(1_700_000_005)).toBe(2);
    expect(beacon.roundAt(1_699_999_999)).toBe(0);
    const commit = encryptWeightsCommit({
      ...payload(),
      round: 77,
      beaconPublicKeyHex: beacon.publicKeyHex,
    });
    const signature = beacon.sign(77);
    expect(verifyRoundSignature(beacon.publicKeyHex, 77, signature)).toBe(true);
    expect(verifyRoundSignature(QUICKNET.publicKeyHex, 77, signature)).toBe(false);
    expect(
      decryptWeightsCommit(commit, signature, {
        round: 77,
        beaconPublicKeyHex: beacon.publicKeyHex,
      }),
    ).toEqual(payload());
    expectCode(() => decryptWeightsCommit(commit, beacon.sign(78)), 'TIMELOCK_WRONG_ROUND');
    const restored = LocalBeacon.fromSecretKey(beacon.secretKeyHex, 1_700_000_000, 3);
    expect(restored.publicKeyHex).toBe(beacon.publicKeyHex);
  });
});

import { bytesToHex, hexToBytes } from '@noble/hashes/utils';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { QUICKNET } from '../../src/timelock/quicknet';
import { roundMessage } from '../../src/timelock/roundIdentity';
import { decryptWeightsCommit, encryptWeightsCommit } from '../../src/timelock/weightsCommit';
import { encodeWeightsTlockPayload } from '../../src/timelock/weightsTlockPayload';
import { QUICKNET_PULSES } from '../support/quicknetPulses';
import { runWasmTimelock } from '../support/wasmTimelock';

// One child process running the crate's WASM build; allow for a busy machine.
jest.setTimeout(120_000);

describe('our tle against ideal-lab5’s own crate (WASM build)', () => {
  let hotkey: Uint8Array;
  beforeAll(async () => {
    await cryptoWaitReady();
    hotkey = new Keyring({ type: 'sr25519' }).addFromUri('//Bob').publicKey;
  });

  it('each opens what the other sealed, through real quicknet signatures', async () => {
    const payloads = QUICKNET_PULSES.map((pulse, i) => ({
      hotkey,
      uids: [1, 2, 3 + i],
      values: [65535, 32768, 5 + i],
      versionKey: BigInt(1000 + i),
      round: pulse.round,
      signatureHex: pulse.signatureHex,
    }));
    const ours = payloads.map((p) => encryptWeightsCommit(p));
    const results = await runWasmTimelock([
      // Ours → the crate.
      ...ours.map((commit, i) => ({
        op: 'decrypt' as const,
        ciphertextHex: bytesToHex(commit),
        signatureHex: payloads[i]!.signatureHex,
      })),
      // The crate → ours.
      ...payloads.map((p) => ({
        op: 'encrypt' as const,
        identityHex: bytesToHex(roundMessage(p.round)),
        plaintextHex: bytesToHex(encodeWeightsTlockPayload(p)),
        keyHex: bytesToHex(crypto.getRandomValues(new Uint8Array(32))),
        publicKeyHex: QUICKNET.publicKeyHex,
      })),
      // The crate refuses another round's signature for our commit, as we do.
      {
        op: 'decrypt' as const,
        ciphertextHex: bytesToHex(ours[0]!),
        signatureHex: payloads[1]!.signatureHex,
      },
    ]);
    payloads.forEach((p, i) => {
      expect(results[i]).toEqual({ plaintextHex: bytesToHex(encodeWeightsTlockPayload(p)) });
      const theirs = hexToBytes(results[payloads.length + i]!.ciphertextHex!);
      expect(theirs.length).toBe(ours[i]!.length);
      const { signatureHex: _s, round: _r, ...expected } = p;
      expect(decryptWeightsCommit(theirs, hexToBytes(p.signatureHex), { round: p.round })).toEqual(
        expected,
      );
    });
    expect(results.at(-1)!.error).toMatch(/decrypt/i);
  });
});

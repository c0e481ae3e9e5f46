import { TimelockError } from '../errors/TimelockErrors';
import { QUICKNET } from './quicknet';
import { assertRoundSignature } from './roundSignature';
import { timelockDecrypt, timelockEncrypt } from './timelockEncrypt';
import { TLE_OVERHEAD_BYTES } from './tleCiphertext';
import {
  decodeWeightsTlockPayload,
  encodeWeightsTlockPayload,
  type WeightsTlockPayload,
} from './weightsTlockPayload';

/** The chain's bound on a commit (`MAX_CRV3_COMMIT_SIZE_BYTES`). */
export const MAX_COMMIT_BYTES = 5_000;

export interface EncryptWeightsCommitParameters extends WeightsTlockPayload {
  /** The beacon round the commit opens at. */
  round: number;
  /** Default: drand quicknet. */
  beaconPublicKeyHex?: string;
  randomBytes?: (length: number) => Uint8Array;
}

function tooLarge(bytes: number): TimelockError {
  return new TimelockError(
    'TIMELOCK_TOO_LARGE',
    'The commit exceeds the chain’s 5 000-byte bound',
    {
      details: `${bytes} bytes; the chain refuses more than ${MAX_COMMIT_BYTES}.`,
    },
  );
}

/**
 * The `commit` argument of `commit_timelocked_(mechanism_)weights`: the SCALE
 * `WeightsTlockPayload`, timelock-encrypted to `round`, byte for byte what subtensor opens
 * with tle once the round's pulse is on chain.
 */
export function encryptWeightsCommit(parameters: EncryptWeightsCommitParameters): Uint8Array {
  const plaintext = encodeWeightsTlockPayload(parameters);
  if (plaintext.length + TLE_OVERHEAD_BYTES > MAX_COMMIT_BYTES) {
    throw tooLarge(plaintext.length + TLE_OVERHEAD_BYTES);
  }
  return timelockEncrypt(plaintext, parameters.round, {
    ...(parameters.beaconPublicKeyHex ? { beaconPublicKeyHex: parameters.beaconPublicKeyHex } : {}),
    ...(parameters.randomBytes ? { randomBytes: parameters.randomBytes } : {}),
  });
}

export interface DecryptWeightsCommitOptions {
  /** When given, the signature must be the beacon's signature of this round. */
  round?: number;
  /** The beacon to verify `round` against (default quicknet). */
  beaconPublicKeyHex?: string;
}

/** Opens a commit with the beacon's signature of its round, as the chain does at reveal. */
export function decryptWeightsCommit(
  commit: Uint8Array,
  signature: Uint8Array,
  options: DecryptWeightsCommitOptions = {},
): WeightsTlockPayload {
  if (commit.length > MAX_COMMIT_BYTES) throw tooLarge(commit.length);
  if (options.round !== undefined) {
    assertRoundSignature(
      options.beaconPublicKeyHex ?? QUICKNET.publicKeyHex,
      options.round,
      signature,
    );
  }
  return decodeWeightsTlockPayload(timelockDecrypt(commit, signature));
}

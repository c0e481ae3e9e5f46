import { bls12_381 as bls } from '@noble/curves/bls12-381';
import { bytesToHex } from '@noble/hashes/utils';
import { TimelockError } from '../errors/TimelockErrors';
import { roundIdentity } from './roundIdentity';

/** A G1 beacon signature parsed from its 48-byte compressed form. */
export type RoundSignaturePoint = ReturnType<typeof bls.G1.Point.fromBytes>;

/** Checks that `round` is a beacon round number (a positive safe integer). */
export function assertRound(round: number, what = 'round'): void {
  if (!Number.isSafeInteger(round) || round < 1) {
    throw new TimelockError('TIMELOCK_BAD_SIGNATURE', `${what} must be a positive integer`, {
      details: `got ${round}`,
    });
  }
}

/** Parses a compressed G1 signature; anything else is TIMELOCK_BAD_SIGNATURE. */
export function parseRoundSignature(signature: Uint8Array): RoundSignaturePoint {
  if (signature.length !== 48) {
    throw new TimelockError('TIMELOCK_BAD_SIGNATURE', 'A beacon signature is 48 bytes', {
      details: `got ${signature.length} bytes`,
    });
  }
  try {
    return bls.G1.Point.fromBytes(signature);
  } catch (cause) {
    throw new TimelockError('TIMELOCK_BAD_SIGNATURE', 'The signature is not a point of G1', {
      details: `${bytesToHex(signature)}: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    });
  }
}

/** Whether `signature` is the beacon's BLS signature of `round` (quicknet's scheme). */
export function verifyRoundSignature(
  beaconPublicKeyHex: string,
  round: number,
  signature: Uint8Array,
): boolean {
  assertRound(round);
  const point = parseRoundSignature(signature);
  return bls.shortSignatures.verify(point, roundIdentity(round), beaconPublicKeyHex);
}

/** Refuses, with TIMELOCK_BAD_SIGNATURE, a signature that is not the beacon's for `round`. */
export function assertRoundSignature(
  beaconPublicKeyHex: string,
  round: number,
  signature: Uint8Array,
): void {
  if (!verifyRoundSignature(beaconPublicKeyHex, round, signature)) {
    throw new TimelockError(
      'TIMELOCK_BAD_SIGNATURE',
      `The signature is not the beacon's signature of round ${round}`,
      { details: bytesToHex(signature) },
    );
  }
}

import { bls12_381 as bls } from '@noble/curves/bls12-381';
import { sha256 } from '@noble/hashes/sha2';
import { QUICKNET_DST } from './quicknet';

/** The message a quicknet-style beacon signs for a round: sha256 of the round as a big-endian u64. */
export function roundMessage(round: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(round), false);
  return sha256(bytes);
}

/** The round's identity in G1: its message hashed to the curve with quicknet's DST. */
export function roundIdentity(round: number) {
  return bls.shortSignatures.hash(roundMessage(round), QUICKNET_DST);
}

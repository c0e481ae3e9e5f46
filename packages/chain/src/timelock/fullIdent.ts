import { bls12_381 as bls } from '@noble/curves/bls12-381';
import { bytesToNumberBE, concatBytes } from '@noble/curves/utils';
import { sha256 } from '@noble/hashes/sha2';
import { TimelockError } from '../errors/TimelockErrors';
import type { RoundSignaturePoint } from './roundSignature';

type G1Point = RoundSignaturePoint;
type G2Point = ReturnType<typeof bls.G2.Point.fromBytes>;
type Gt = ReturnType<typeof bls.pairing>;

/** The 32-byte key and 32-byte mask halves of a Boneh–Franklin FullIdent header. */
export interface IbeHeader {
  /** U = r·P in G2, compressed. */
  u: Uint8Array;
  v: Uint8Array;
  w: Uint8Array;
}

const { Fr, Fp } = bls.fields;

/** An Fp element as arkworks serializes it: the canonical integer, 48 bytes little-endian. */
function fpLittleEndian(value: bigint): Uint8Array {
  const out = new Uint8Array(Fp.BYTES);
  let rest = value;
  for (let i = 0; i < out.length; i += 1) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/**
 * A pairing value as arkworks serializes `Fq12` (and so as tle hashes it): the tower
 * Fq12 = Fq6[w], Fq6 = Fq2[v], Fq2 = Fq[u], coefficients c0 before c1 (before c2), each
 * Fq little-endian. noble builds the same tower, so only the byte order is ours to write.
 */
function gtBytes(value: Gt): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const fp6 of [value.c0, value.c1]) {
    for (const fp2 of [fp6.c0, fp6.c1, fp6.c2])
      parts.push(fpLittleEndian(fp2.c0), fpLittleEndian(fp2.c1));
  }
  return concatBytes(...parts);
}

/** H2: GT → {0,1}^256. */
function h2(value: Gt): Uint8Array {
  return sha256(gtBytes(value));
}

/** H3: {0,1}* × {0,1}* → Fr, big-endian reduced mod r. */
function h3(sigma: Uint8Array, message: Uint8Array): bigint {
  return Fr.create(bytesToNumberBE(sha256(concatBytes(sigma, message))));
}

/** H4 on a 32-byte input: its sha256. */
function h4(value: Uint8Array): Uint8Array {
  return sha256(value);
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  return a.map((byte, i) => byte ^ b[i]!);
}

/** A scalar as arkworks serializes Fr: 32 bytes little-endian. */
function frLittleEndian(value: bigint): Uint8Array {
  return fpLittleEndian(value).subarray(0, 32);
}

/**
 * FullIdent encryption of a 32-byte key to an identity Q_id ∈ G1 under the beacon key
 * P_pub ∈ G2: sigma = H4(t) for a random scalar t, r = H3(sigma, key), U = r·P,
 * V = sigma ⊕ H2(e(Q_id, r·P_pub)), W = key ⊕ H4(sigma).
 */
export function ibeEncrypt(
  key: Uint8Array,
  identity: G1Point,
  beaconPublicKey: G2Point,
  randomBytes: (length: number) => Uint8Array,
): IbeHeader {
  const t = Fr.create(bytesToNumberBE(randomBytes(48)));
  const sigma = h4(frLittleEndian(t));
  const r = h3(sigma, key);
  const u = bls.G2.Point.BASE.multiply(r);
  const shared = bls.pairing(identity, beaconPublicKey.multiply(r));
  return { u: u.toBytes(true), v: xor(sigma, h2(shared)), w: xor(key, h4(sigma)) };
}

/**
 * FullIdent decryption with the identity's secret, here the beacon's signature of the
 * round: sigma = V ⊕ H2(e(sig, U)), key = W ⊕ H4(sigma), then U must equal H3(sigma, key)·P;
 * otherwise the signature belongs to another round (or the header was altered).
 */
export function ibeDecrypt(header: IbeHeader, signature: G1Point): Uint8Array {
  let u: G2Point;
  try {
    u = bls.G2.Point.fromBytes(header.u);
  } catch (cause) {
    throw new TimelockError('TIMELOCK_MALFORMED', "The ciphertext's U is not a point of G2", {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
  const sigma = xor(header.v, h2(bls.pairing(signature, u)));
  const key = xor(header.w, h4(sigma));
  if (!bls.G2.Point.BASE.multiply(h3(sigma, key)).equals(u)) {
    throw new TimelockError('TIMELOCK_WRONG_ROUND', 'The signature does not open this ciphertext', {
      details:
        'It is the signature of another round than the one the commit is locked to, or the header was altered.',
    });
  }
  return key;
}

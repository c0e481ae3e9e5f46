import { TimelockError } from '../errors/TimelockErrors';

/**
 * tle's `TLECiphertext<TinyBLS381>` as the chain deserializes it. arkworks' compressed
 * serialization lays the fields out in declaration order; a `Vec<u8>` is a little-endian u64
 * length and its bytes, and the G2 point is zcash-style compressed (96 bytes).
 *
 * ```
 * header.u    G2, 96 bytes           U = r·P
 * header.v    Vec<u8> (32)           sigma ⊕ H2(e(Q_id, P_pub)^r)
 * header.w    Vec<u8> (32)           key ⊕ H4(sigma)
 * body        Vec<u8>                AESOutput { ciphertext: Vec<u8>, nonce: Vec<u8> (12) }
 * cipherSuite Vec<u8> ("AES_GCM_")
 * ```
 *
 * So a ciphertext is the plaintext length + 244 bytes (16 of them the GCM tag).
 */
export interface TleCiphertext {
  u: Uint8Array;
  v: Uint8Array;
  w: Uint8Array;
  /** AES-256-GCM output: the encrypted message with its tag appended. */
  ciphertext: Uint8Array;
  nonce: Uint8Array;
  cipherSuite: Uint8Array;
}

/** The only cipher suite tle's AES-GCM provider writes. */
export const AES_GCM_SUITE = new TextEncoder().encode('AES_GCM_');
/** Bytes a ciphertext adds to its plaintext. */
export const TLE_OVERHEAD_BYTES = 244;
const G2_COMPRESSED_BYTES = 96;

function u64le(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(value), true);
  return bytes;
}

function vec(bytes: Uint8Array): Uint8Array[] {
  return [u64le(bytes.length), bytes];
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function encodeTleCiphertext(ct: TleCiphertext): Uint8Array {
  const body = concat([...vec(ct.ciphertext), ...vec(ct.nonce)]);
  return concat([ct.u, ...vec(ct.v), ...vec(ct.w), ...vec(body), ...vec(ct.cipherSuite)]);
}

/** Reads arkworks' length-prefixed fields, refusing any length that runs past the end. */
class ArkReader {
  #offset = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly what: string,
  ) {}

  fixed(length: number, field: string): Uint8Array {
    if (this.#offset + length > this.bytes.length) {
      throw new TimelockError('TIMELOCK_MALFORMED', `The ${this.what} is truncated`, {
        details: `${field} needs ${length} bytes at offset ${this.#offset}; ${this.bytes.length - this.#offset} remain.`,
      });
    }
    const out = this.bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return out;
  }

  vec(field: string): Uint8Array {
    const prefix = this.fixed(8, `${field} length`);
    const length = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
    if (length > BigInt(this.bytes.length)) {
      throw new TimelockError('TIMELOCK_MALFORMED', `The ${this.what} is truncated`, {
        details: `${field} claims ${length} bytes; the ${this.what} has ${this.bytes.length}.`,
      });
    }
    return this.fixed(Number(length), field);
  }

  end(): void {
    if (this.#offset !== this.bytes.length) {
      throw new TimelockError('TIMELOCK_MALFORMED', `The ${this.what} has trailing bytes`, {
        details: `${this.bytes.length - this.#offset} bytes after offset ${this.#offset}.`,
      });
    }
  }
}

function requireLength(field: string, bytes: Uint8Array, expected: number): void {
  if (bytes.length !== expected) {
    throw new TimelockError('TIMELOCK_MALFORMED', `The ciphertext's ${field} has the wrong size`, {
      details: `${bytes.length} bytes, expected ${expected}.`,
    });
  }
}

/** Parses a serialized ciphertext strictly: every length checked, nothing left over. */
export function decodeTleCiphertext(bytes: Uint8Array): TleCiphertext {
  const reader = new ArkReader(bytes, 'ciphertext');
  const u = reader.fixed(G2_COMPRESSED_BYTES, 'header.u');
  const v = reader.vec('header.v');
  const w = reader.vec('header.w');
  const body = new ArkReader(reader.vec('body'), 'ciphertext body');
  const cipherSuite = reader.vec('cipher_suite');
  reader.end();
  const ciphertext = body.vec('body.ciphertext');
  const nonce = body.vec('body.nonce');
  body.end();
  requireLength('header.v', v, 32);
  requireLength('header.w', w, 32);
  requireLength('body.nonce', nonce, 12);
  if (ciphertext.length < 16) {
    throw new TimelockError('TIMELOCK_MALFORMED', 'The ciphertext body is shorter than its tag', {
      details: `${ciphertext.length} bytes.`,
    });
  }
  if (
    cipherSuite.length !== AES_GCM_SUITE.length ||
    !cipherSuite.every((byte, i) => byte === AES_GCM_SUITE[i])
  ) {
    throw new TimelockError('TIMELOCK_MALFORMED', 'Unknown cipher suite', {
      details: `expected "AES_GCM_", got ${JSON.stringify(new TextDecoder().decode(cipherSuite))}.`,
    });
  }
  return { u, v, w, ciphertext, nonce, cipherSuite };
}

import { randomBytes } from 'node:crypto';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa';
import { argon2i } from 'hash-wasm';

/** Encrypted keyfiles start with this marker, then the 24-byte nonce, then the secretbox. */
const NACL_PREFIX = new TextEncoder().encode('$NACL');
const NONCE_BYTES = 24;

/**
 * btwallet's key derivation: libsodium `crypto_pwhash` with Argon2i v1.3 at the SENSITIVE
 * limits (8 passes, 512 MiB, one lane) over a fixed 16-byte salt, giving a 32-byte
 * secretbox key. Matching it byte for byte is what lets Python read our coldkeys.
 */
export const NACL_KDF = {
  salt: Uint8Array.from([
    0x13, 0x71, 0x83, 0xdf, 0xf1, 0x5a, 0x09, 0xbc, 0x9c, 0x90, 0xb5, 0x51, 0x87, 0x39, 0xe9, 0xb1,
  ]),
  opslimit: 8,
  memlimitBytes: 536_870_912,
} as const;

export function isNaclEncrypted(data: Uint8Array): boolean {
  return NACL_PREFIX.every((byte, index) => data[index] === byte);
}

/** Derives the secretbox key from a password (seconds of work by design). */
export async function deriveNaclKey(password: string): Promise<Uint8Array> {
  return argon2i({
    password,
    salt: NACL_KDF.salt,
    parallelism: 1,
    iterations: NACL_KDF.opslimit,
    memorySize: NACL_KDF.memlimitBytes / 1024,
    hashLength: 32,
    outputType: 'binary',
  });
}

/** Turns a password into the 32-byte secretbox key; `deriveNaclKey` unless a caller caches it. */
export type NaclKdf = (password: string) => Promise<Uint8Array>;

/** `$NACL` ‖ nonce ‖ secretbox(data) under an already-derived key. */
export function sealWithKey(data: Uint8Array, key: Uint8Array): Uint8Array {
  const nonce = new Uint8Array(randomBytes(NONCE_BYTES));
  const sealed = xsalsa20poly1305(key, nonce).encrypt(data);
  const out = new Uint8Array(NACL_PREFIX.length + NONCE_BYTES + sealed.length);
  out.set(NACL_PREFIX, 0);
  out.set(nonce, NACL_PREFIX.length);
  out.set(sealed, NACL_PREFIX.length + NONCE_BYTES);
  return out;
}

export type DecryptOutcome =
  | { ok: true; data: Uint8Array }
  | { ok: false; reason: 'bad-password' | 'truncated' };

/** Opens `$NACL` data under an already-derived key; a failed MAC reads as a wrong password. */
export function openWithKey(data: Uint8Array, key: Uint8Array): DecryptOutcome {
  const body = data.subarray(NACL_PREFIX.length);
  if (body.length < NONCE_BYTES + 16) return { ok: false, reason: 'truncated' };
  try {
    const plain = xsalsa20poly1305(key, body.subarray(0, NONCE_BYTES)).decrypt(
      body.subarray(NONCE_BYTES),
    );
    return { ok: true, data: plain };
  } catch {
    return { ok: false, reason: 'bad-password' };
  }
}

/** `$NACL` ‖ nonce ‖ secretbox(data), as btwallet / PyNaCl write it. */
export async function encryptKeyfileData(
  data: Uint8Array,
  password: string,
  kdf: NaclKdf = deriveNaclKey,
): Promise<Uint8Array> {
  return sealWithKey(data, await kdf(password));
}

/** Opens a `$NACL` keyfile with a password (truncated data is reported before any KDF work). */
export async function decryptKeyfileData(
  data: Uint8Array,
  password: string,
  kdf: NaclKdf = deriveNaclKey,
): Promise<DecryptOutcome> {
  if (data.length < NACL_PREFIX.length + NONCE_BYTES + 16)
    return { ok: false, reason: 'truncated' };
  return openWithKey(data, await kdf(password));
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Keys look like `sig_<id>_<secret>`: a 12-hex-digit public id that finds the record and a
 * 256-bit base64url secret. Because the secret is random and long, a salted sha256 is as
 * strong as a slow KDF here (there is nothing to brute-force) and keeps verification cheap
 * on every request.
 */
const KEY_PATTERN = /^sig_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  id: string;
  secret: string;
}

export function parseApiKey(key: string): ParsedApiKey | undefined {
  const match = KEY_PATTERN.exec(key);
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

export function generateApiKey(): { key: string; id: string; secret: string } {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `sig_${id}_${secret}`, id, secret };
}

export function hashSecret(saltHex: string, secret: string): Buffer {
  return createHash('sha256').update(Buffer.from(saltHex, 'hex')).update(secret, 'utf8').digest();
}

/** Constant-time comparison of a secret against a stored salted hash. */
export function secretMatches(saltHex: string, hashHex: string, secret: string): boolean {
  return timingSafeEqual(hashSecret(saltHex, secret), Buffer.from(hashHex, 'hex'));
}

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

import { gcm } from '@noble/ciphers/aes';
import { bls12_381 as bls } from '@noble/curves/bls12-381';
import { randomBytes as secureRandomBytes } from '@noble/hashes/utils';
import { TimelockError } from '../errors/TimelockErrors';
import { ibeDecrypt, ibeEncrypt } from './fullIdent';
import { QUICKNET } from './quicknet';
import { roundIdentity } from './roundIdentity';
import { assertRound, parseRoundSignature } from './roundSignature';
import { AES_GCM_SUITE, decodeTleCiphertext, encodeTleCiphertext } from './tleCiphertext';

export interface TimelockEncryptOptions {
  /** The beacon to lock to (default: drand quicknet). */
  beaconPublicKeyHex?: string;
  /** Source of randomness; tests inject a seeded one. Default: the platform CSPRNG. */
  randomBytes?: (length: number) => Uint8Array;
}

/**
 * Timelock-encrypts `plaintext` to a beacon round, as tle's `tle::<TinyBLS381,
 * AESGCMStreamCipherProvider>` does: a fresh 32-byte key is FullIdent-encrypted to the
 * round's identity and the plaintext is AES-256-GCM-encrypted under it (empty AAD).
 * Anyone holding the beacon's signature of that round can decrypt; nobody can before.
 */
export function timelockEncrypt(
  plaintext: Uint8Array,
  round: number,
  options: TimelockEncryptOptions = {},
): Uint8Array {
  assertRound(round);
  const random = options.randomBytes ?? secureRandomBytes;
  const publicKey = bls.G2.Point.fromHex(options.beaconPublicKeyHex ?? QUICKNET.publicKeyHex);
  const key = random(32);
  const header = ibeEncrypt(key, roundIdentity(round), publicKey, random);
  const nonce = random(12);
  const ciphertext = gcm(key, nonce).encrypt(plaintext);
  return encodeTleCiphertext({ ...header, ciphertext, nonce, cipherSuite: AES_GCM_SUITE });
}

/**
 * Opens a timelocked ciphertext with the beacon's signature of its round (tle's `tld`).
 * Typed failures: TIMELOCK_MALFORMED, TIMELOCK_BAD_SIGNATURE, TIMELOCK_WRONG_ROUND (another
 * round's signature) and TIMELOCK_TAMPERED (the body fails authentication).
 */
export function timelockDecrypt(ciphertext: Uint8Array, signature: Uint8Array): Uint8Array {
  const parsed = decodeTleCiphertext(ciphertext);
  const key = ibeDecrypt(parsed, parseRoundSignature(signature));
  try {
    return gcm(key, parsed.nonce).decrypt(parsed.ciphertext);
  } catch (cause) {
    throw new TimelockError('TIMELOCK_TAMPERED', 'The ciphertext body fails authentication', {
      details: 'The key opened, but AES-GCM rejects the body or its nonce: they were altered.',
      cause,
    });
  }
}

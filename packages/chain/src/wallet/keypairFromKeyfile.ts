import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { hexToU8a, stringToU8a } from '@polkadot/util';
import {
  cryptoWaitReady,
  mnemonicToMiniSecret,
  mnemonicValidate,
  signatureVerify,
  sr25519PairFromSeed,
} from '@polkadot/util-crypto';
import { KeyfileCorruptError } from '../errors/WalletErrors';
import type { KeyfileData } from './KeyfileData';
import { type WalletKeypair, walletKeypair } from './WalletKeypair';

/** Bittensor addresses use the generic Substrate prefix. */
export const BITTENSOR_SS58_FORMAT = 42;

export function bittensorKeyring(): Keyring {
  return new Keyring({ type: 'sr25519', ss58Format: BITTENSOR_SS58_FORMAT });
}

/**
 * Substrate stores an sr25519 secret scalar canonically; @polkadot's pairs hold it in the
 * "ed25519" form, multiplied by the cofactor 8. Both are 32 LE bytes followed by the nonce.
 */
function shiftScalar(secret: Uint8Array, direction: 'times8' | 'div8'): Uint8Array {
  const out = Uint8Array.from(secret);
  if (direction === 'times8') {
    let carry = 0;
    for (let i = 0; i < 32; i += 1) {
      const byte = secret[i] ?? 0;
      out[i] = ((byte << 3) | carry) & 0xff;
      carry = byte >> 5;
    }
  } else {
    for (let i = 0; i < 32; i += 1) {
      const low = (secret[i] ?? 0) >> 3;
      const high = ((secret[i + 1] ?? 0) & 0x07) << 5;
      out[i] = i === 31 ? low : low | high;
    }
  }
  return out;
}

/** The 64-byte secret in Substrate's canonical form, which btwallet writes as `privateKey`. */
export function canonicalPrivateKey(polkadotSecretKey: Uint8Array): Uint8Array {
  return shiftScalar(polkadotSecretKey, 'div8');
}

function signsFor(pair: KeyringPair): boolean {
  const message = stringToU8a('signal keyfile check');
  return signatureVerify(message, pair.sign(message), pair.publicKey).isValid;
}

function fromPrivateKey(keyring: Keyring, data: KeyfileData, path: string): WalletKeypair {
  const publicKeyHex = data.publicKey ?? data.accountId;
  if (!publicKeyHex) throw new KeyfileCorruptError(path, 'privateKey without publicKey.');
  const publicKey = hexToU8a(publicKeyHex.startsWith('0x') ? publicKeyHex : `0x${publicKeyHex}`);
  const secret = hexToU8a(
    data.privateKey?.startsWith('0x') ? data.privateKey : `0x${data.privateKey}`,
  );
  if (secret.length !== 64 || publicKey.length !== 32) {
    throw new KeyfileCorruptError(
      path,
      `privateKey must be 64 bytes and publicKey 32 (got ${secret.length}, ${publicKey.length}).`,
    );
  }
  // Accept both scalar forms; only the one that signs for the stored public key is right.
  for (const secretKey of [shiftScalar(secret, 'times8'), secret]) {
    const pair = walletKeypair(keyring, { publicKey, secretKey });
    if (signsFor(pair)) return pair;
  }
  throw new KeyfileCorruptError(path, 'privateKey does not match publicKey.');
}

/**
 * Builds the sr25519 pair a keyfile describes, with btwallet's precedence: the mnemonic,
 * else the seed, else the private key. A file with only public parts is refused here.
 * A mnemonic or seed gives the pair Python's `Keypair.create_from_mnemonic` / `_seed` does
 * (the mini-secret expanded, no derivation path).
 */
export async function keypairFromKeyfile(data: KeyfileData, path: string): Promise<WalletKeypair> {
  await cryptoWaitReady();
  const keyring = bittensorKeyring();
  let pair: WalletKeypair;
  if (data.secretPhrase) {
    if (!mnemonicValidate(data.secretPhrase))
      throw new KeyfileCorruptError(path, 'secretPhrase is not a valid mnemonic.');
    pair = walletKeypair(keyring, sr25519PairFromSeed(mnemonicToMiniSecret(data.secretPhrase)));
  } else if (data.secretSeed) {
    const seed = hexToU8a(
      data.secretSeed.startsWith('0x') ? data.secretSeed : `0x${data.secretSeed}`,
    );
    if (seed.length !== 32)
      throw new KeyfileCorruptError(path, `secretSeed must be 32 bytes, got ${seed.length}.`);
    pair = walletKeypair(keyring, sr25519PairFromSeed(seed));
  } else if (data.privateKey) {
    pair = fromPrivateKey(keyring, data, path);
  } else {
    throw new KeyfileCorruptError(
      path,
      'No secretPhrase, secretSeed or privateKey: this file holds no secret.',
    );
  }
  if (data.ss58Address && data.ss58Address !== pair.address) {
    throw new KeyfileCorruptError(
      path,
      `The secret derives ${pair.address} but the file says ${data.ss58Address}.`,
    );
  }
  return pair;
}

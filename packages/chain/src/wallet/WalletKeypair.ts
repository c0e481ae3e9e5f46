import type { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { KeyHoldingSigner, Sr25519Keys } from '@signal/core';

/**
 * A wallet's sr25519 pair: a `KeyringPair` (extrinsics, the dendrite) that can also hand its
 * raw keys to an axon's signature threads, which then sign responses off the event loop.
 */
export type WalletKeypair = KeyringPair & KeyHoldingSigner;

/** The pair of raw keys in @polkadot's form (the secret scalar times the cofactor 8, then the nonce). */
export function walletKeypair(keyring: Keyring, keys: Sr25519Keys): WalletKeypair {
  const publicKey = Uint8Array.from(keys.publicKey);
  const secretKey = Uint8Array.from(keys.secretKey);
  const pair = keyring.createFromPair({ publicKey, secretKey }, {}, 'sr25519');
  return Object.assign(pair, {
    exportSr25519Keys: (): Sr25519Keys => ({
      publicKey: Uint8Array.from(publicKey),
      secretKey: Uint8Array.from(secretKey),
    }),
  });
}

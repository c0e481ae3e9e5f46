import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { sr25519Ready } from '@signal/core';

/** A deterministic sr25519 hotkey from a dev derivation path such as `//validator`. */
export async function devKey(path: string): Promise<KeyringPair> {
  await sr25519Ready();
  return new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(path);
}

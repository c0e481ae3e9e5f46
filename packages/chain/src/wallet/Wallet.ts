import { readdir, readFile } from 'node:fs/promises';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import {
  cryptoWaitReady,
  mnemonicGenerate,
  mnemonicToMiniSecret,
  sr25519PairFromSeed,
} from '@polkadot/util-crypto';
import { KeyfileCorruptError, KeyfileExistsError } from '../errors/WalletErrors';
import type { KeyfileData } from './KeyfileData';
import { type PasswordSource, readKeyfileData, readKeypair, writeKeyfileData } from './keyfileIo';
import { bittensorKeyring, canonicalPrivateKey } from './keypairFromKeyfile';
import type { WalletKeypair } from './WalletKeypair';
import { PUBLIC_KEYFILE_SUFFIX, type WalletFiles, walletFiles } from './walletPaths';

export interface WalletOptions {
  /** Wallets root (resolve with resolveWalletRoot). */
  root: string;
  name: string;
  hotkey: string;
  password?: PasswordSource;
  env?: NodeJS.ProcessEnv;
}

/** A Bittensor wallet on disk: the hotkey signs routinely, the coldkey (often encrypted) rarely. */
export interface Wallet {
  name: string;
  hotkeyName: string;
  files: WalletFiles;
  /** Also hands its raw keys to an axon's signature threads (`exportSr25519Keys`). */
  hotkey: WalletKeypair;
  /** The coldkey's address from `coldkeypub.txt` (no password needed). */
  coldkeyAddress: string;
  /** Decrypts and loads the coldkey (asks for the password if encrypted). */
  unlockColdkey(): Promise<WalletKeypair>;
}

function keyfileDataFor(mnemonic: string, pair: KeyringPair, secretKey: Uint8Array): KeyfileData {
  const publicKey = u8aToHex(pair.publicKey);
  return {
    accountId: publicKey,
    publicKey,
    privateKey: u8aToHex(canonicalPrivateKey(secretKey)),
    secretPhrase: mnemonic,
    secretSeed: u8aToHex(mnemonicToMiniSecret(mnemonic)),
    ss58Address: pair.address,
  };
}

async function coldkeyAddressOf(files: WalletFiles): Promise<string> {
  const data = await readKeyfileData(files.coldkeypub);
  if (!data.ss58Address) throw new KeyfileCorruptError(files.coldkeypub, 'No ss58Address.');
  return data.ss58Address;
}

/** Opens an existing wallet: loads the hotkey and reads the coldkey's public address. */
export async function loadWallet(options: WalletOptions): Promise<Wallet> {
  const files = walletFiles(options);
  const read = { password: options.password, env: options.env };
  const hotkey = await readKeypair(files.hotkey, read);
  const coldkeyAddress = await coldkeyAddressOf(files);
  return {
    name: options.name,
    hotkeyName: options.hotkey,
    files,
    hotkey,
    coldkeyAddress,
    unlockColdkey: () => readKeypair(files.coldkey, read),
  };
}

export interface CreateWalletOptions extends Omit<WalletOptions, 'password'> {
  /** Encrypts the coldkey with this password; unencrypted when omitted. */
  coldkeyPassword?: string;
  coldkeyMnemonic?: string;
  hotkeyMnemonic?: string;
  overwrite?: boolean;
}

export interface CreatedWallet {
  wallet: Wallet;
  /** Shown once so the user can write them down. */
  coldkeyMnemonic: string;
  hotkeyMnemonic: string;
}

async function newKey(
  mnemonic: string | undefined,
): Promise<{ mnemonic: string; data: KeyfileData }> {
  await cryptoWaitReady();
  const phrase = mnemonic ?? mnemonicGenerate(12);
  const keyring = bittensorKeyring();
  const pair = keyring.addFromUri(phrase);
  const { secretKey } = sr25519PairFromSeed(mnemonicToMiniSecret(phrase));
  return { mnemonic: phrase, data: keyfileDataFor(phrase, pair, secretKey) };
}

/** Creates a wallet (coldkey, coldkeypub.txt, one hotkey) with Bittensor's file layout. */
export async function createWallet(options: CreateWalletOptions): Promise<CreatedWallet> {
  const files = walletFiles(options);
  const overwrite = options.overwrite ?? false;
  if (!overwrite) {
    for (const file of [files.coldkey, files.coldkeypub, files.hotkey, files.hotkeypub]) {
      const exists = await readFile(file).then(
        () => true,
        () => false,
      );
      if (exists) throw new KeyfileExistsError(file);
    }
  }
  const coldkey = await newKey(options.coldkeyMnemonic);
  const hotkey = await newKey(options.hotkeyMnemonic);
  const { accountId, publicKey, ss58Address } = coldkey.data;
  await writeKeyfileData(files.coldkey, coldkey.data, {
    overwrite,
    password: options.coldkeyPassword,
  });
  await writeKeyfileData(files.coldkeypub, { accountId, publicKey, ss58Address }, { overwrite });
  await writeKeyfileData(files.hotkey, hotkey.data, { overwrite });
  await writeKeyfileData(
    files.hotkeypub,
    {
      accountId: hotkey.data.accountId,
      publicKey: hotkey.data.publicKey,
      ss58Address: hotkey.data.ss58Address,
    },
    { overwrite },
  );
  const password = options.coldkeyPassword;
  const wallet = await loadWallet({
    ...options,
    password: password === undefined ? undefined : () => password,
  });
  return { wallet, coldkeyMnemonic: coldkey.mnemonic, hotkeyMnemonic: hotkey.mnemonic };
}

/** Wallet names under a root, each with its hotkey names. */
export async function listWallets(root: string): Promise<{ name: string; hotkeys: string[] }[]> {
  const names = await readdir(root, { withFileTypes: true }).catch(() => []);
  const wallets: { name: string; hotkeys: string[] }[] = [];
  for (const entry of names
    .filter((e) => e.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const hotkeys = await readdir(walletFiles({ root, name: entry.name, hotkey: '' }).hotkey, {
      withFileTypes: true,
    }).catch(() => []);
    wallets.push({
      name: entry.name,
      hotkeys: hotkeys
        .filter((h) => h.isFile() && !h.name.endsWith(PUBLIC_KEYFILE_SUFFIX))
        .map((h) => h.name)
        .sort(),
    });
  }
  return wallets;
}

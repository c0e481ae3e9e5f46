import { homedir } from 'node:os';
import path from 'node:path';

/** Where Bittensor keeps wallets unless `--wallet.path` / `BT_WALLET_PATH` says otherwise. */
export const DEFAULT_WALLET_ROOT = '~/.bittensor/wallets';

function expandHome(value: string): string {
  if (value === '~') return homedir();
  if (value.startsWith('~/')) return path.join(homedir(), value.slice(2));
  return value;
}

/** The wallets root: the explicit path, else `BT_WALLET_PATH`, else `~/.bittensor/wallets`. */
export function resolveWalletRoot(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(expandHome(explicit ?? env.BT_WALLET_PATH ?? DEFAULT_WALLET_ROOT));
}

export interface WalletLocation {
  /** The wallets root (see resolveWalletRoot). */
  root: string;
  name: string;
  hotkey: string;
}

export interface WalletFiles {
  dir: string;
  coldkey: string;
  coldkeypub: string;
  hotkey: string;
  /** Public half of the hotkey, which recent btwallet versions write beside it. */
  hotkeypub: string;
}

/** Suffix of the public-key files btwallet keeps next to the keys themselves. */
export const PUBLIC_KEYFILE_SUFFIX = 'pub.txt';

/** Bittensor's layout: `<root>/<name>/{coldkey,coldkeypub.txt,hotkeys/<hotkey>,hotkeys/<hotkey>pub.txt}`. */
export function walletFiles(location: WalletLocation): WalletFiles {
  const dir = path.join(location.root, location.name);
  return {
    dir,
    coldkey: path.join(dir, 'coldkey'),
    coldkeypub: path.join(dir, `coldkey${PUBLIC_KEYFILE_SUFFIX}`),
    hotkey: path.join(dir, 'hotkeys', location.hotkey),
    hotkeypub: path.join(dir, 'hotkeys', `${location.hotkey}${PUBLIC_KEYFILE_SUFFIX}`),
  };
}

/**
 * The env var btwallet reads a keyfile's password from: `BT_PW_` plus the absolute path with
 * path separators and dots turned into underscores, upper-cased.
 */
export function passwordEnvVar(keyfilePath: string): string {
  const normalised = path
    .resolve(expandHome(keyfilePath))
    .split(path.sep)
    .join('_')
    .replaceAll('.', '_');
  return `BT_PW_${normalised.toUpperCase()}`;
}

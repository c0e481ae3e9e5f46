import { Option } from 'commander';

/** The wallet a command acts for: the flags `signal wallet` and `signal localchain` share. */
export interface WalletFlags {
  'wallet.name': string;
  'wallet.hotkey': string;
  'wallet.path'?: string;
}

export function walletNameOption(): Option {
  return new Option('--wallet.name <name>', 'wallet name')
    .env('SIGNAL_WALLET_NAME')
    .default('default');
}

export function walletHotkeyOption(): Option {
  return new Option('--wallet.hotkey <name>', 'hotkey name')
    .env('SIGNAL_WALLET_HOTKEY')
    .default('default');
}

export function walletPathOption(): Option {
  return new Option(
    '--wallet.path <dir>',
    'wallets root (else BT_WALLET_PATH, else ~/.bittensor/wallets)',
  ).env('SIGNAL_WALLET_PATH');
}

import { readFile } from 'node:fs/promises';
import {
  createWallet,
  isNaclEncrypted,
  listWallets,
  loadWallet,
  passwordEnvVar,
  readKeyfileData,
  resolveWalletRoot,
  walletFiles,
} from '@signal/chain';
import { Command } from 'commander';
import {
  type WalletFlags,
  walletHotkeyOption,
  walletNameOption,
  walletPathOption,
} from '../options/walletOptions';
import { prettyJson } from '../output/prettyJson';

/** Where the command prints; tests capture it, the binary writes stdout. */
export type WalletCommandOutput = (text: string) => void;

/**
 * `signal wallet create|list|show`: Bittensor-layout wallets. The coldkey is encrypted when
 * its `BT_PW_…` variable (the one btwallet reads, printed by `show`) holds a password.
 */
export function walletCommand(
  output: WalletCommandOutput = (text) => process.stdout.write(text),
): Command {
  const wallet = new Command('wallet')
    .description('Create, list and show Bittensor wallets')
    .showHelpAfterError()
    .exitOverride();

  wallet
    .command('create')
    .description('Create a coldkey, coldkeypub.txt and a hotkey; prints the mnemonics once')
    .addOption(walletNameOption())
    .addOption(walletHotkeyOption())
    .addOption(walletPathOption())
    .option('--overwrite', 'replace existing keyfiles')
    .action(async (flags: WalletFlags & { overwrite?: boolean }) => {
      const root = resolveWalletRoot(flags['wallet.path']);
      const location = { root, name: flags['wallet.name'], hotkey: flags['wallet.hotkey'] };
      const passwordVar = passwordEnvVar(walletFiles(location).coldkey);
      const password = process.env[passwordVar];
      const created = await createWallet({
        ...location,
        overwrite: flags.overwrite ?? false,
        ...(password === undefined ? {} : { coldkeyPassword: password }),
      });
      output(
        prettyJson({
          name: created.wallet.name,
          hotkey: created.wallet.hotkeyName,
          path: created.wallet.files.dir,
          coldkey_ss58: created.wallet.coldkeyAddress,
          hotkey_ss58: created.wallet.hotkey.address,
          coldkey_encrypted: password !== undefined,
          coldkey_mnemonic: created.coldkeyMnemonic,
          hotkey_mnemonic: created.hotkeyMnemonic,
        }),
      );
    });

  wallet
    .command('list')
    .description('List wallets and their hotkeys')
    .addOption(walletPathOption())
    .action(async (flags: Pick<WalletFlags, 'wallet.path'>) => {
      const root = resolveWalletRoot(flags['wallet.path']);
      const wallets = await listWallets(root);
      const described = await Promise.all(
        wallets.map(async ({ name, hotkeys }) => {
          const pub = await readKeyfileData(
            walletFiles({ root, name, hotkey: '' }).coldkeypub,
          ).catch(() => null);
          return { name, coldkey_ss58: pub?.ss58Address ?? null, hotkeys };
        }),
      );
      output(prettyJson({ path: root, wallets: described }));
    });

  wallet
    .command('show')
    .description('Show a wallet’s addresses (no secrets)')
    .addOption(walletNameOption())
    .addOption(walletHotkeyOption())
    .addOption(walletPathOption())
    .action(async (flags: WalletFlags) => {
      const root = resolveWalletRoot(flags['wallet.path']);
      const loaded = await loadWallet({
        root,
        name: flags['wallet.name'],
        hotkey: flags['wallet.hotkey'],
      });
      const coldkeyBytes = await readFile(loaded.files.coldkey).catch(() => null);
      output(
        prettyJson({
          name: loaded.name,
          hotkey: loaded.hotkeyName,
          path: loaded.files.dir,
          coldkey_ss58: loaded.coldkeyAddress,
          hotkey_ss58: loaded.hotkey.address,
          coldkey_encrypted: coldkeyBytes === null ? null : isNaclEncrypted(coldkeyBytes),
          coldkey_password_env: passwordEnvVar(loaded.files.coldkey),
        }),
      );
    });

  return wallet;
}

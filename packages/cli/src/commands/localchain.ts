import { access } from 'node:fs/promises';
import path from 'node:path';
import {
  integerIn,
  LOCAL_CHAIN_PREFIX,
  LOCAL_HYPERPARAMETER_DEFAULTS,
  LocalChain,
  LocalChainStateError,
  loadWallet,
  resolveWalletRoot,
  taoToRao,
} from '@signal/chain';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  type WalletFlags,
  walletHotkeyOption,
  walletNameOption,
  walletPathOption,
} from '../options/walletOptions';
import { prettyJson } from '../output/prettyJson';

/** Where the command prints; tests capture it, the binary writes stdout. */
export type LocalChainCommandOutput = (text: string) => void;

interface ChainFlags {
  file: string;
  netuid: number;
}

function fileOption(): Option {
  return new Option('--file <path>', 'the LocalChain state file')
    .env('SIGNAL_LOCALCHAIN_FILE')
    .makeOptionMandatory();
}

function netuidOption(): Option {
  return new Option('--netuid <n>', 'subnet uid')
    .env('SIGNAL_LOCALCHAIN_NETUID')
    .argParser(integerIn('--netuid', 0, 65_535))
    .default(1);
}

function stakeInRao(raw: string): bigint {
  const rao = taoToRao(raw);
  if (rao === null) {
    throw new InvalidArgumentError(
      `--stake must be a non-negative TAO amount with at most 9 decimals, got "${raw}".`,
    );
  }
  return rao;
}

/** The `--subtensor.network` value that points a neuron at this file. */
const networkFor = (file: string) => `${LOCAL_CHAIN_PREFIX}${path.resolve(file)}`;

/** Opens an existing state file for one change; never starts a block timer. */
async function openExisting(file: string): Promise<LocalChain> {
  try {
    await access(file);
  } catch (cause) {
    throw new LocalChainStateError(
      file,
      'No LocalChain state file here; create one with `signal localchain create --file FILE`.',
      cause,
    );
  }
  return LocalChain.open({ file, blockTimeMs: 0 });
}

/**
 * `signal localchain create|register`: what `btcli subnet create` and `btcli subnet register`
 * do, for a LocalChain state file that separate `signal-miner` and `signal-validator`
 * processes then share through `--subtensor.network local:FILE` (their timers produce blocks).
 */
export function localchainCommand(
  output: LocalChainCommandOutput = (text) => process.stdout.write(text),
): Command {
  const localchain = new Command('localchain')
    .description('Set up a LocalChain file that separate miner and validator processes share')
    .showHelpAfterError()
    .exitOverride();

  localchain
    .command('create')
    .description('Create the state file if it is missing, and a subnet on it')
    .addOption(fileOption())
    .addOption(netuidOption())
    .addOption(
      new Option('--tempo <blocks>', 'blocks between epochs')
        .argParser(integerIn('--tempo', 1, 65_535))
        .default(LOCAL_HYPERPARAMETER_DEFAULTS.tempo),
    )
    .action(async (flags: ChainFlags & { tempo: number }) => {
      const chain = await LocalChain.open({ file: flags.file, blockTimeMs: 0 });
      try {
        await chain.createSubnet(flags.netuid, { tempo: flags.tempo });
        output(
          prettyJson({
            network: networkFor(flags.file),
            netuid: flags.netuid,
            block: await chain.currentBlock(),
            tempo: flags.tempo,
          }),
        );
      } finally {
        await chain.close();
      }
    });

  localchain
    .command('register')
    .description('Register a wallet’s hotkey on a subnet, optionally with stake')
    .addOption(fileOption())
    .addOption(netuidOption())
    .addOption(walletNameOption())
    .addOption(walletHotkeyOption())
    .addOption(walletPathOption())
    .addOption(
      new Option('--stake <tao>', 'stake to start with, in TAO (validators need some)')
        .argParser(stakeInRao)
        .default(0n, '0'),
    )
    .action(async (flags: ChainFlags & WalletFlags & { stake: bigint }) => {
      const chain = await openExisting(flags.file);
      try {
        const wallet = await loadWallet({
          root: resolveWalletRoot(flags['wallet.path']),
          name: flags['wallet.name'],
          hotkey: flags['wallet.hotkey'],
        });
        const uid = await chain.register({
          netuid: flags.netuid,
          hotkey: wallet.hotkey.address,
          coldkey: wallet.coldkeyAddress,
          stake: flags.stake,
        });
        const neuron = (await chain.metagraph(flags.netuid)).neurons[uid]!;
        output(
          prettyJson({
            network: networkFor(flags.file),
            netuid: flags.netuid,
            uid,
            hotkey_ss58: neuron.hotkey,
            coldkey_ss58: neuron.coldkey,
            stake_rao: neuron.stake.total.toString(),
            validator_permit: neuron.validatorPermit,
          }),
        );
      } finally {
        await chain.close();
      }
    });

  return localchain;
}

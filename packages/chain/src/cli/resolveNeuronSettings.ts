import { resolveWalletRoot, type WalletLocation } from '../wallet/walletPaths';
import type { NeuronConfig } from './NeuronConfig';
import type { NeuronFlags } from './neuronCommand';

/** The wallet, network and log level a neuron runs with, after flags, env and config. */
export interface NeuronSettings {
  wallet: WalletLocation;
  network: string;
  debug: boolean;
}

/**
 * Merges the shared settings by precedence: a flag, then its env form (commander has folded
 * those together), then the config file, then Bittensor's defaults. `env` locates the wallets
 * root when neither flag nor config does (`BT_WALLET_PATH`, then the home directory).
 */
export function resolveNeuronSettings(
  flags: NeuronFlags,
  config: NeuronConfig,
  env: NodeJS.ProcessEnv,
): NeuronSettings {
  return {
    wallet: {
      root: resolveWalletRoot(flags['wallet.path'] ?? config.wallet?.path, env),
      name: flags['wallet.name'] ?? config.wallet?.name ?? 'default',
      hotkey: flags['wallet.hotkey'] ?? config.wallet?.hotkey ?? 'default',
    },
    network: flags['subtensor.network'] ?? config.subtensor?.network ?? 'finney',
    debug: flags['logging.debug'] ?? config.logging?.debug ?? false,
  };
}

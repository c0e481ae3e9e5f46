import { resolveWalletRoot, type WalletLocation } from '../wallet/walletPaths';
import type { NeuronConfig } from './NeuronConfig';
import type { NeuronFlags } from './neuronCommand';

/** The wallet, network and log level a neuron runs with, after flags, env and config. */
export interface NeuronSettings {
  wallet: WalletLocation;
  network: string;
  debug: boolean;
  /** The model host's budget; absent values are the host's defaults. */
  runtime: { threads?: number; workers?: number; queueSize?: number };
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
    runtime: definedOnly({
      threads: flags['runtime.threads'] ?? config.runtime?.threads,
      workers: flags['runtime.workers'] ?? config.runtime?.workers,
      queueSize: flags['runtime.queue_size'] ?? config.runtime?.queue_size,
    }),
  };
}

function definedOnly<T extends Record<string, number | undefined>>(
  values: T,
): { [K in keyof T]?: number } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: number;
  };
}

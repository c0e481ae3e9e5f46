import { resolveWalletRoot } from '@signal/chain';
import type { MinerConfig } from '../config/MinerConfigSchema';
import { MinerCliError } from './MinerCliError';
import type { MinerFlags } from './minerCommand';

/** Everything `signal-miner` needs to start, after flags, env and the config file. */
export interface MinerSettings {
  netuid: number;
  wallet: { root: string; name: string; hotkey: string };
  network: string;
  axon: { host: string; port: number; externalIp: string | undefined };
  metricsPort: number;
  debug: boolean;
}

export const DEFAULT_AXON_PORT = 8091;

/**
 * Merges the settings in order of precedence: a flag, then its env form (commander has
 * already folded these together), then the config file, then the defaults.
 */
export function resolveMinerSettings(
  flags: MinerFlags,
  config: MinerConfig,
  env: NodeJS.ProcessEnv,
): MinerSettings {
  const netuid = flags.netuid ?? config.netuid;
  if (netuid === undefined) {
    throw new MinerCliError(
      'No subnet given.',
      'Pass --netuid, set SIGNAL_MINER_NETUID, or put netuid in the miner config.',
    );
  }
  const externalIp = flags['axon.external_ip'] ?? config.axon?.external_ip;
  return {
    netuid,
    wallet: {
      root: resolveWalletRoot(flags['wallet.path'] ?? config.wallet?.path, env),
      name: flags['wallet.name'] ?? config.wallet?.name ?? 'default',
      hotkey: flags['wallet.hotkey'] ?? config.wallet?.hotkey ?? 'default',
    },
    network: flags['subtensor.network'] ?? config.subtensor?.network ?? 'finney',
    axon: {
      // With an external IP the axon sits behind NAT or a proxy: listen on every interface.
      host: externalIp === undefined ? '127.0.0.1' : '0.0.0.0',
      port: flags['axon.port'] ?? config.axon?.port ?? DEFAULT_AXON_PORT,
      externalIp,
    },
    metricsPort: flags['metrics.port'] ?? config.metrics_port,
    debug: flags['logging.debug'] ?? config.logging?.debug ?? false,
  };
}

import { type NeuronSettings, resolveNeuronSettings } from '@signal/chain';
import type { MinerConfig } from '../config/MinerConfigSchema';
import { MinerCliError } from './MinerCliError';
import type { MinerFlags } from './minerCommand';

/** Everything `signal-miner` needs to start, after flags, env and the config file. */
export interface MinerSettings extends NeuronSettings {
  netuid: number;
  axon: { host: string; port: number; externalIp: string | undefined };
  metricsPort: number;
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
    ...resolveNeuronSettings(flags, config, env),
    netuid,
    axon: {
      // With an external IP the axon sits behind NAT or a proxy: listen on every interface.
      host: externalIp === undefined ? '127.0.0.1' : '0.0.0.0',
      port: flags['axon.port'] ?? config.axon?.port ?? DEFAULT_AXON_PORT,
      externalIp,
    },
    metricsPort: flags['metrics.port'] ?? config.metrics_port,
  };
}

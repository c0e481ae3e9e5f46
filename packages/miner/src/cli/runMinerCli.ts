import {
  type ChainClient,
  loadWallet,
  type NeuronCliOptions,
  openChain,
  parseWithEnv,
  untilAborted,
} from '@signal/chain';
import pino, { type Logger } from 'pino';
import { loadMinerConfig } from '../config/loadMinerConfig';
import { type RunningMiner, startMiner } from '../serve/startMiner';
import { MinerCliError } from './MinerCliError';
import { type MinerFlags, minerCommand } from './minerCommand';
import { resolveMinerSettings } from './resolveMinerSettings';

export type RunMinerCliOptions = NeuronCliOptions<RunningMiner>;

/**
 * `signal-miner`: reads the flags (user arguments, without node and the script), the miner
 * config, the wallet's hotkey and the chain, serves until `signal` aborts, then drains the
 * axon, disposes the models and closes the chain.
 */
export async function runMinerCli(
  argv: readonly string[],
  options: RunMinerCliOptions,
): Promise<void> {
  const env = options.env ?? process.env;
  const flags = parseWithEnv<MinerFlags>(minerCommand(), argv, env);
  const configPath = flags['miner.config'];
  if (configPath === undefined) {
    throw new MinerCliError(
      'No miner config given.',
      'Pass --miner.config FILE or set SIGNAL_MINER_CONFIG.',
    );
  }
  const config = await loadMinerConfig(configPath);
  const settings = resolveMinerSettings(flags, config, env);
  const logger: Logger = pino(
    { name: 'signal-miner', level: settings.debug ? 'debug' : 'info' },
    options.logDestination ?? pino.destination(2),
  );
  const wallet = await loadWallet({ ...settings.wallet, env });
  const chain: ChainClient = await openChain({ network: settings.network });
  let miner: RunningMiner | undefined;
  try {
    miner = await startMiner({
      config,
      chain,
      netuid: settings.netuid,
      hotkey: wallet.hotkey,
      axon: {
        host: settings.axon.host,
        port: settings.axon.port,
        ...(settings.axon.externalIp === undefined ? {} : { externalIp: settings.axon.externalIp }),
      },
      logger,
      metrics: { port: settings.metricsPort },
      runtime: settings.runtime,
    });
    options.onStarted?.(miner);
    await untilAborted(options.signal);
    logger.info('shutting down');
  } finally {
    await miner?.close();
    await chain.close();
  }
}

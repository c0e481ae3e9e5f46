import { type ChainClient, loadWallet, openChain } from '@signal/chain';
import pino, { type DestinationStream, type Logger } from 'pino';
import { loadMinerConfig } from '../config/loadMinerConfig';
import { type RunningMiner, startMiner } from '../serve/startMiner';
import { MinerCliError } from './MinerCliError';
import { type MinerFlags, minerCommand } from './minerCommand';
import { resolveMinerSettings } from './resolveMinerSettings';

export interface RunMinerCliOptions {
  /** Env for the flags' env forms and wallet passwords (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Stops the miner when aborted; the binary aborts it on SIGINT and SIGTERM. */
  signal: AbortSignal;
  /** Where logs go (default stderr). */
  logDestination?: DestinationStream;
  /** Called once the miner serves, e.g. to report its port. */
  onStarted?: (miner: RunningMiner) => void;
}

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
  const command = minerCommand();
  const previous = process.env;
  // commander reads env forms from process.env; point it at the caller's env while parsing.
  process.env = env;
  try {
    command.parse([...argv], { from: 'user' });
  } finally {
    process.env = previous;
  }
  const flags = command.opts<MinerFlags>();
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
    });
    options.onStarted?.(miner);
    await aborted(options.signal);
    logger.info('shutting down');
  } finally {
    await miner?.close();
    await chain.close();
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}

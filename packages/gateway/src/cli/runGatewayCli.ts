import {
  booleanFlag,
  type ChainClient,
  type DashboardFlags,
  dashboardOptions,
  integerIn,
  loadWallet,
  type NeuronCliOptions,
  type NeuronFlags,
  neuronCommand,
  openChain,
  parseWithEnv,
  resolveDashboardSettings,
  resolveNeuronSettings,
  untilAborted,
} from '@signal/chain';
import { Dendrite, serveMetrics } from '@signal/core';
import { type RunningDashboard, startDashboard } from '@signal/dashboard';
import { Option } from 'commander';
import { type Logger, pino } from 'pino';
import { gatewayDashboardSources } from '../dashboard/gatewayDashboardSources';
import { GatewayMetrics } from '../server/GatewayMetrics';
import { type RunningGateway, startGateway } from '../server/startGateway';
import type { GatewayStore } from '../store/GatewayStore';
import { openGatewayStore } from '../store/openGatewayStore';
import { GatewayCliError } from './GatewayCliError';
import { type CliOutput, runKeysCli } from './keysCommands';
import { type ReceiveTimeoutFlags, receiveTimeoutOptions } from './receiveTimeoutFlags';
import { ENV_PREFIX, type StoreFlags, storeLocation, storeOptions } from './storeFlags';
import { runUsageCli } from './usageCommand';

/** A running `signal gateway`: the gateway, and its dashboard's URL when it serves one. */
export interface RunningGatewayCli extends RunningGateway {
  readonly dashboardUrl?: string;
}

export interface RunGatewayCliOptions extends NeuronCliOptions<RunningGatewayCli> {
  /** Where `keys` and `usage` print (default stdout). */
  output?: CliOutput;
}

interface ServeFlags extends NeuronFlags, StoreFlags, DashboardFlags, ReceiveTimeoutFlags {
  'gateway.port'?: number;
  'gateway.host'?: string;
  'gateway.failOpen'?: boolean;
}

const MIB = 1024 * 1024;

/** `signal gateway`: every flag Bittensor-style, each with a `SIGNAL_GATEWAY_*` env form. */
export function gatewayCommand() {
  return neuronCommand({
    name: 'signal gateway',
    description:
      'Serve the organic gateway on its own (keys, limits and usage in a file or in Redis); also: keys, usage',
    envPrefix: ENV_PREFIX,
    options: [
      new Option('--gateway.port <port>', 'port to serve on [8080]')
        .env(`${ENV_PREFIX}_PORT`)
        .argParser(integerIn('--gateway.port', 0, 65_535)),
      new Option('--gateway.host <host>', 'address to bind [0.0.0.0]').env(`${ENV_PREFIX}_HOST`),
      ...storeOptions(false),
      new Option(
        '--gateway.fail-open [on]',
        'admit requests without limits while the store is unreachable [off: answer 503]',
      )
        .env(`${ENV_PREFIX}_FAIL_OPEN`)
        .argParser(booleanFlag('--gateway.fail-open')),
      ...receiveTimeoutOptions(ENV_PREFIX),
      ...dashboardOptions(ENV_PREFIX),
    ],
    metricsDescription: 'Prometheus /metrics port (off unless given)',
  });
}

/**
 * `signal gateway …`: `keys …` and `usage` administer the store; anything else serves the
 * gateway standalone until `signal` aborts. The standalone gateway reads the validator's
 * miner view from the store, signs requests with the validator's hotkey (which must hold a
 * uid on the subnet, or miners would refuse it) and shares limits with every replica on
 * the same Redis.
 */
export async function runGatewayCli(
  argv: readonly string[],
  options: RunGatewayCliOptions,
): Promise<void> {
  const env = options.env ?? process.env;
  const output = options.output ?? ((text: string) => process.stdout.write(text));
  if (argv[0] === 'keys') return runKeysCli(argv.slice(1), env, output);
  if (argv[0] === 'usage') return runUsageCli(argv.slice(1), env, output);
  const flags = parseWithEnv<ServeFlags>(gatewayCommand(), argv, env);
  const location = storeLocation(flags);
  const settings = resolveNeuronSettings(flags, {}, env);
  const dashboardSettings = resolveDashboardSettings(flags, {}, env);
  const logger: Logger = pino(
    { name: 'signal-gateway', level: settings.debug ? 'debug' : 'info' },
    options.logDestination ?? pino.destination(2),
  );
  const wallet = await loadWallet({ ...settings.wallet, env });
  // Read-only: the gateway never signs an extrinsic. Kept open for the Subnet page.
  const chain: ChainClient = await openChain({ network: settings.network, readOnly: true });
  try {
    const metagraph = await chain.metagraph(flags.netuid!);
    if (!metagraph.neurons.some((neuron) => neuron.hotkey === wallet.hotkey.address)) {
      throw new GatewayCliError('GATEWAY_HOTKEY_UNREGISTERED', 'The hotkey holds no uid.', {
        details: `${wallet.hotkey.address} is not registered on netuid ${flags.netuid}; miners refuse unregistered callers. Use the validator's wallet.`,
      });
    }
  } catch (error) {
    await chain.close();
    throw error;
  }
  if (!dashboardSettings) await chain.close();
  let store: GatewayStore | undefined;
  let gateway: RunningGateway | undefined;
  let metricsServer: Awaited<ReturnType<typeof serveMetrics>> | undefined;
  let dashboard: RunningDashboard | undefined;
  const dendrite = new Dendrite({ signer: wallet.hotkey, maxResponseBytes: 64 * MIB });
  try {
    store = await openGatewayStore(location, 'serve', (error) =>
      logger.warn({ err: error.message }, 'gateway: store connection error'),
    );
    const metrics = new GatewayMetrics();
    gateway = await startGateway(
      { store, dendrite, logger, metrics },
      {
        host: flags['gateway.host'] ?? '0.0.0.0',
        port: flags['gateway.port'] ?? 8080,
        failOpen: flags['gateway.failOpen'] ?? false,
        ...(flags['gateway.headersTimeout'] === undefined
          ? {}
          : { headersTimeoutMs: flags['gateway.headersTimeout'] }),
        ...(flags['gateway.requestTimeout'] === undefined
          ? {}
          : { requestTimeoutMs: flags['gateway.requestTimeout'] }),
      },
    );
    logger.info({ port: gateway.port, store: store.description }, 'gateway listening');
    if (flags['metrics.port'] !== undefined) {
      metricsServer = await serveMetrics(metrics.registry, { port: flags['metrics.port'] });
      logger.info({ port: metricsServer.port }, 'metrics listening');
    }
    if (dashboardSettings) {
      const { leaderboardFile, ...serve } = dashboardSettings;
      dashboard = await startDashboard({
        ...serve,
        sources: gatewayDashboardSources({
          store,
          chain,
          netuid: flags.netuid!,
          hotkey: wallet.hotkey.address,
          ...(leaderboardFile === undefined ? {} : { leaderboardFile }),
        }),
        logger,
      });
      logger.info({ url: dashboard.url }, 'dashboard listening');
    }
    options.onStarted?.(dashboard ? { ...gateway, dashboardUrl: dashboard.url } : gateway);
    await untilAborted(options.signal);
    logger.info('shutting down');
  } finally {
    await dashboard?.close();
    await metricsServer?.close();
    await gateway?.close();
    await store?.close();
    await dendrite.close();
    if (dashboardSettings) await chain.close();
  }
}

import type { ChainClient, ServeAxonParameters } from '@signal/chain';
import {
  Axon,
  type AxonRequestContext,
  Condense,
  type CondenseSynapse,
  DEFAULT_TIERS,
  Inference,
  type InferenceSynapse,
  Metadata,
  type TierConfig,
  WIRE_VERSION,
} from '@signal/core';
import { type HostStats, ModelHost, type ThreadBudgetInput } from '@signal/runtime';
import pino, { type Logger } from 'pino';
import type { MinerConfig } from '../config/MinerConfigSchema';
import { CallerGate } from '../handlers/CallerGate';
import { checkCondense, condenseBinaryHandler, condenseHandler } from '../handlers/condenseHandler';
import { checkInference, inferenceForward, inferenceStream } from '../handlers/inferenceHandler';
import type { MinerContext } from '../handlers/MinerContext';
import { metadataHandler } from '../handlers/metadataHandler';
import { refusalOf } from '../handlers/refusalOf';
import { MinerMetrics } from '../metrics/MinerMetrics';
import { type MetricsServer, serveMetrics } from '../metrics/serveMetrics';
import { prepareServedModels } from '../models/prepareServedModels';
import {
  admissionPolicyFromLimits,
  rateLimiterOptionsFromLimits,
} from '../policy/admissionPolicyFromLimits';
import { EpochRateLimiter } from '../policy/EpochRateLimiter';
import type { MinerJobs } from '../worker/MinerJobs';
import { minerWorkerModule } from '../worker/minerWorkerModule';
import { MetagraphWatcher } from './MetagraphWatcher';
import { MinerStartError } from './MinerStartError';

/** The hotkey keypair `@signal/chain`'s wallets give (`Wallet.hotkey`): it signs the axon and serveAxon. */
export type MinerHotkey = ServeAxonParameters['signer'];

export interface StartMinerOptions {
  /** From `loadMinerConfig` / `parseMinerConfig`. */
  config: MinerConfig;
  /** LocalChain in tests and the devnet, Subtensor otherwise. */
  chain: ChainClient;
  netuid: number;
  hotkey: MinerHotkey;
  /** Where the axon listens (default 127.0.0.1, port 0) and the IP it advertises on chain. */
  axon?: { host?: string; port?: number; externalIp?: string };
  /** The subnet's tier table (default `DEFAULT_TIERS`); every tier the config serves must be in it. */
  tiers?: readonly TierConfig[];
  /** Default: pino to stderr. */
  logger?: Logger;
  /** Prometheus `/metrics` on its own port (default the config's `metrics_port`), or `false`. */
  metrics?: { port?: number } | false;
  /** Milliseconds the axon lets in-flight requests finish on close (default 10 000). */
  shutdownGraceMs?: number;
  /**
   * The model host's budget (`--runtime.*`; default the config's `runtime` section): threads
   * (default every core), workers (default 1) and the jobs that may wait per model (default
   * `limits.queue_size`).
   */
  runtime?: ThreadBudgetInput & { queueSize?: number };
}

export interface RunningMiner {
  /** The axon's bound port. */
  readonly port: number;
  /** The miner's hotkey (SS58). */
  readonly hotkey: string;
  /** The metrics server's bound port, when metrics are on. */
  readonly metricsPort: number | undefined;
  /** The model host's workers and queues now. */
  modelHost(): HostStats;
  /** Re-reads the metagraph now (blacklist, stakes and rate limits follow it). */
  refreshMetagraph(): Promise<void>;
  /** Drains the axon, stops the refresh loop and the metrics server, and disposes the models. */
  close(): Promise<void>;
}

/**
 * Starts a serving miner: checks the hotkey is registered, reads the metagraph, serves
 * `Condense`, `Inference` and `Metadata` on an axon under the config's blacklist, rate
 * limits, priority and concurrency, advertises the axon on chain (nothing is sent when the
 * chain already holds it), and keeps the metagraph fresh until `close()`. All state lives in
 * the returned miner, so several can run in one process.
 */
export async function startMiner(options: StartMinerOptions): Promise<RunningMiner> {
  const { config, chain, netuid, hotkey } = options;
  const tiers = options.tiers ?? DEFAULT_TIERS;
  const logger = (options.logger ?? pino({ name: 'signal-miner' }, pino.destination(2))).child({
    hotkey: hotkey.address,
  });
  for (const name of Object.keys(config.tiers)) {
    if (!tiers.some((tier) => tier.name === name)) {
      throw new MinerStartError(
        'MINER_TIER_NOT_IN_TABLE',
        `The config serves tier "${name}", which the tier table does not define.`,
        {
          details: `Known tiers: ${tiers.map((t) => t.name).join(', ')}.`,
        },
      );
    }
  }
  const host = options.axon?.host ?? '127.0.0.1';
  const advertised = options.axon?.externalIp ?? host;
  if (advertised === '0.0.0.0' || advertised === '::') {
    throw new MinerStartError(
      'MINER_NO_EXTERNAL_IP',
      `The axon listens on ${host} but no external IP was given.`,
      {
        details: 'Pass axon.externalIp (--axon.external_ip) so validators can reach this miner.',
      },
    );
  }
  if (!(await chain.isRegistered(netuid, hotkey.address))) {
    throw new MinerStartError(
      'MINER_NOT_REGISTERED',
      `Hotkey ${hotkey.address} is not registered on subnet ${netuid}.`,
      {
        details: 'Register the hotkey first (btcli subnet register, or LocalChain.register).',
      },
    );
  }

  // Pulls hf: models and refuses a model that cannot run a configured method, before serving.
  const served = await prepareServedModels(config, tiers);
  const metrics = new MinerMetrics();
  const runtime = { ...runtimeFromConfig(config), ...options.runtime };
  const models = await ModelHost.start<MinerJobs>({
    module: minerWorkerModule(served),
    threads: runtime.threads,
    workers: runtime.workers,
    intraOpThreads: runtime.intraOpThreads,
    queueSize: runtime.queueSize ?? config.limits.queue_size,
    name: 'signal-miner-model',
    onEvent: (event) => {
      if (event.type === 'worker-replaced')
        logger.warn({ worker: event.worker }, 'model worker replaced');
      else logger.error({ worker: event.worker, err: event.error }, event.type);
    },
  });
  let watcher: MetagraphWatcher;
  try {
    watcher = await MetagraphWatcher.start({
      chain,
      netuid,
      intervalMs: config.metagraph_refresh_seconds * 1000,
      logger,
      onRefresh: (snapshot) => metrics.metagraphBlock.set(snapshot.block),
    });
  } catch (error) {
    await models.close();
    throw error;
  }
  const miner: MinerContext = {
    config: served,
    tiers,
    host: models,
    adapters: new Set(),
    logger,
    metrics,
  };
  const gate = new CallerGate({
    policy: admissionPolicyFromLimits(config.limits),
    limiter: new EpochRateLimiter(rateLimiterOptionsFromLimits(config.limits)),
    metagraph: () => watcher.snapshot,
    onRefusal: (code) => metrics.refusals.inc({ code }),
  });

  const axon = new Axon({
    signer: hotkey,
    ...(options.axon?.externalIp ? { externalIp: options.axon.externalIp } : {}),
    concurrency: config.limits.max_concurrency,
    maxQueue: config.limits.queue_size,
    // Inference may carry a whole condensed cache: allow the largest tier payload plus the rest.
    maxBodyBytes: Math.max(...tiers.map((tier) => tier.maxPayloadBytes)) + 1024 * 1024,
    maxTimeoutSeconds: Math.max(60, ...tiers.map((tier) => tier.timeoutSeconds)),
    onRequest: (event) => {
      metrics.requests.inc({ synapse: event.synapse, status: event.status });
      metrics.requestSeconds.observe({ synapse: event.synapse }, event.durationMs / 1000);
      const level = event.status >= 500 ? 'warn' : 'debug';
      logger[level]({ ...event }, 'request');
    },
  });
  const workPriority = gate.priority('work');
  // Malformed requests are refused before they queue or count against the caller's quota.
  const checkedPriority =
    <Synapse>(check: (synapse: Synapse) => unknown) =>
    (synapse: Synapse, context: AxonRequestContext): number => {
      try {
        check(synapse);
      } catch (error) {
        throw refusalOf(error);
      }
      return workPriority(synapse, context);
    };
  axon.attach(Condense, {
    blacklist: gate.blacklist('work'),
    priority: checkedPriority((synapse: CondenseSynapse) => checkCondense(miner, synapse)),
    forward: condenseHandler(miner),
    binary: condenseBinaryHandler(miner),
  });
  axon.attach(Inference, {
    blacklist: gate.blacklist('work'),
    priority: checkedPriority((synapse: InferenceSynapse) => checkInference(miner, synapse)),
    forward: inferenceForward(miner),
    stream: inferenceStream(miner),
    streams: (synapse) => synapse.stream,
  });
  axon.attach(Metadata, {
    blacklist: gate.blacklist('metadata'),
    priority: gate.priority('metadata'),
    forward: metadataHandler(miner),
    // Answered on the main thread at once, never behind queued work.
    gated: false,
  });

  let metricsServer: MetricsServer | undefined;
  const cleanup = async (): Promise<void> => {
    await watcher.stop();
    await axon.close({ graceMs: options.shutdownGraceMs ?? 10_000 });
    await metricsServer?.close();
    await models.close();
  };
  try {
    const bound = await axon.listen({ host, port: options.axon?.port ?? 0 });
    if (options.metrics !== false) {
      metricsServer = await serveMetrics(metrics.registry, {
        host,
        port: options.metrics?.port ?? config.metrics_port,
      });
    }
    const served = await chain.serveAxon({
      netuid,
      ip: advertised,
      port: bound.port,
      version: WIRE_VERSION,
      signer: hotkey,
    });
    logger.info(
      {
        port: bound.port,
        ip: advertised,
        metricsPort: metricsServer?.port,
        served: served.submitted ? 'submitted' : 'unchanged',
        models: Object.keys(config.models),
        runtime: models.budget,
        tiers: Object.keys(config.tiers),
      },
      'miner serving',
    );
    let closing: Promise<void> | undefined;
    return {
      port: bound.port,
      hotkey: hotkey.address,
      metricsPort: metricsServer?.port,
      modelHost: () => models.stats(),
      refreshMetagraph: () => watcher.refresh(),
      close: () => {
        closing ??= cleanup().then(() => logger.info('miner stopped'));
        return closing;
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function runtimeFromConfig(config: MinerConfig): ThreadBudgetInput & { queueSize?: number } {
  const section = config.runtime ?? {};
  return {
    ...(section.threads === undefined ? {} : { threads: section.threads }),
    ...(section.workers === undefined ? {} : { workers: section.workers }),
    ...(section.queue_size === undefined ? {} : { queueSize: section.queue_size }),
  };
}

import { randomBytes } from 'node:crypto';
import { DEFAULT_TIERS, Dendrite, type MetricsServer, serveMetrics } from '@signal/core';
import { type RunningDashboard, startDashboard } from '@signal/dashboard';
import {
  GatewayMetrics,
  type GatewayStore,
  gatewayDashboardView,
  openGatewayStore,
  type RunningGateway,
  startGateway,
} from '@signal/gateway';
import { resolveModelLocations } from '@signal/runtime';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { validatorDashboardSources } from '../dashboard/validatorDashboardSources';
import { HistoryStore, historyPathFor } from '../history/HistoryStore';
import type { EpochContext } from '../loop/EpochContext';
import type { EpochReport } from '../loop/EpochReport';
import { MinerDirectory } from '../loop/MinerDirectory';
import { runEpoch } from '../loop/runEpoch';
import { METADATA_CONCURRENCY, syncMiners } from '../loop/syncMiners';
import { ValidatorMetrics } from '../metrics/ValidatorMetrics';
import { MinerViewPublisher } from '../organic/MinerViewPublisher';
import { organicScoring, type ValidatorOrganicScoring } from '../organic/organicScoring';
import { ScoreStateStore } from '../state/ScoreStateStore';
import { HostedEvaluator } from '../worker/HostedEvaluator';
import { logStateRecovery } from './logStateRecovery';
import type { RunningValidator } from './RunningValidator';
import type { StartValidatorOptions } from './StartValidatorOptions';
import { ValidatorError } from './ValidatorError';
import { validatorSettings, validatorTiers } from './validatorSettings';

const MIB = 1024 * 1024;

/**
 * Starts a validator: opens the persisted scores, pulls `hf:` evaluation models, opens the models (lazily), the
 * dendrite and, unless disabled, the organic gateway and the metrics server. Epochs run on
 * `runEpoch()` or, after `start()`, on a timer; a failed epoch is logged and the next one
 * runs on schedule.
 */
export async function startValidator(options: StartValidatorOptions): Promise<RunningValidator> {
  const settings = validatorSettings(options);
  const tiers = validatorTiers(options.tiers ?? DEFAULT_TIERS);
  const logger = options.logger ?? pino({ name: 'signal-validator' });
  const metrics = new ValidatorMetrics();
  const store = await ScoreStateStore.open(settings.stateFile);
  const history = await HistoryStore.open(historyPathFor(settings.stateFile), options.history);
  if (store.recovery) logStateRecovery(logger, 'score state', store.recovery);
  if (history.recovery) logStateRecovery(logger, 'miner history', history.recovery);
  // Evaluation runs in model worker threads, so the gateway keeps answering while it scores;
  // hf: models are pulled into the huggingface_hub cache before the first epoch.
  const evaluator = await HostedEvaluator.start({
    models: await resolveModelLocations(settings.models),
    maxContinuationTokens: settings.maxContinuationTokens,
    ...(options.session ? { session: options.session } : {}),
    ...options.runtime,
    onEvent: (event) => {
      if (event.type === 'worker-replaced')
        logger.warn({ worker: event.worker }, 'evaluation worker replaced');
      else logger.error({ worker: event.worker, err: event.error }, event.type);
    },
  });
  const largestPayload = Math.max(...tiers.map((tier) => tier.maxPayloadBytes));
  // Room for the payload as base64 JSON plus the echoed context; a bigger answer is a 422.
  const dendrite = new Dendrite({
    signer: options.hotkey,
    maxResponseBytes: Math.ceil(largestPayload * 1.5) + 4 * MIB,
  });
  const directory = new MinerDirectory();
  const abort = new AbortController();
  const context: EpochContext = {
    chain: options.chain,
    netuid: settings.netuid,
    hotkey: options.hotkey,
    tiers,
    dendrite,
    evaluator,
    store,
    history,
    directory,
    logger,
    metrics,
    signal: abort.signal,
    settings: {
      secret: settings.seed === undefined ? randomBytes(32).toString('hex') : String(settings.seed),
      tasksPerMiner: settings.tasksPerMiner,
      families: settings.families,
      tierFamilies: settings.tierFamilies,
      unscoredFraction: settings.unscoredFraction,
      batchSize: settings.batchSize,
      versionKey: settings.versionKey,
      metadataTimeoutSeconds: settings.metadataTimeoutSeconds,
      recall: settings.recall,
    },
  };

  let gatewayStore: GatewayStore | undefined;
  let gateway: RunningGateway | undefined;
  let organic: ValidatorOrganicScoring | undefined;
  let metricsServer: MetricsServer | undefined;
  let dashboard: RunningDashboard | undefined;
  const gatewayMetrics = new GatewayMetrics();
  const closeGateway = async () => {
    await gateway?.close();
    await organic?.settled();
    await gatewayStore?.close();
  };
  try {
    if (options.gateway) {
      const serve = options.gateway.serve ?? true;
      gatewayStore = await openGatewayStore(
        options.gateway.store,
        serve ? 'serve' : 'admin',
        (error) => logger.warn({ err: error.message }, 'gateway store connection error'),
      );
      if (serve) {
        organic = organicScoring({
          evaluator,
          store,
          logger,
          fraction: options.gateway.organicScoredFraction ?? 0.1,
        });
        gateway = await startGateway(
          { store: gatewayStore, dendrite, logger, metrics: gatewayMetrics, organic },
          {
            ...(options.gateway.host === undefined ? {} : { host: options.gateway.host }),
            ...(options.gateway.port === undefined ? {} : { port: options.gateway.port }),
            ...(options.gateway.failOpen === undefined
              ? {}
              : { failOpen: options.gateway.failOpen }),
            ...(options.gateway.headersTimeoutMs === undefined
              ? {}
              : { headersTimeoutMs: options.gateway.headersTimeoutMs }),
            ...(options.gateway.requestTimeoutMs === undefined
              ? {}
              : { requestTimeoutMs: options.gateway.requestTimeoutMs }),
            // The view is published in this process: the version in each admission brings it.
            viewPollMs: 60_000,
          },
        );
        logger.info({ port: gateway.port, store: gatewayStore.description }, 'gateway listening');
      }
    }
    if (options.metrics) {
      metricsServer = await serveMetrics(
        Registry.merge([metrics.registry, gatewayMetrics.registry]),
        options.metrics,
      );
      logger.info({ port: metricsServer.port }, 'metrics listening');
    }
    if (options.dashboard) {
      const { leaderboardFile, ...serve } = options.dashboard;
      dashboard = await startDashboard({
        ...serve,
        sources: validatorDashboardSources({
          chain: options.chain,
          netuid: settings.netuid,
          hotkey: options.hotkey.address,
          history,
          store,
          ...(leaderboardFile === undefined ? {} : { leaderboardFile }),
          ...(gatewayStore === undefined ? {} : { gateway: gatewayDashboardView(gatewayStore) }),
        }),
        logger,
      });
      logger.info({ url: dashboard.url }, 'dashboard listening');
    }
  } catch (error) {
    await metricsServer?.close();
    await dashboard?.close();
    await closeGateway();
    await evaluator.close();
    await dendrite.close();
    throw error;
  }
  const publisher = gatewayStore
    ? new MinerViewPublisher({
        store: gatewayStore,
        netuid: settings.netuid,
        validatorHotkey: options.hotkey.address,
        tiers,
        evaluator,
        models: Object.keys(settings.models),
        scores: store,
        directory,
        logger,
      })
    : undefined;

  const publish = async () => {
    await publisher?.publish();
    await gateway?.refreshView();
  };

  const refreshMiners = async (): Promise<number> => {
    const sync = await syncMiners({
      chain: options.chain,
      netuid: settings.netuid,
      dendrite,
      selfHotkey: options.hotkey.address,
      tiers,
      metadataTimeoutSeconds: settings.metadataTimeoutSeconds,
      concurrency: METADATA_CONCURRENCY,
    });
    directory.update(sync.metagraph, sync.miners);
    await publish();
    return sync.miners.length;
  };
  if (publisher) {
    // The gateway routes from the first epoch's sync; until then it needs a directory of its own.
    await refreshMiners().catch((error: unknown) =>
      logger.warn({ err: error }, 'initial miner sync failed; the first epoch retries it'),
    );
  }

  let epoch = 0;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let started = false;

  const runOne = (): Promise<EpochReport> => {
    if (closed) {
      return Promise.reject(new ValidatorError('VALIDATOR_CLOSED', 'The validator is closed.'));
    }
    const next = queue
      .catch(() => undefined)
      .then(async () => {
        epoch += 1;
        const report = await runEpoch(context, epoch);
        await publish();
        return report;
      });
    queue = next;
    return next;
  };

  const schedule = (): void => {
    if (closed) return;
    timer = setTimeout(
      () => {
        runOne()
          .then((report) =>
            logger.info(
              { epoch: report.epoch, block: report.block, weightsSet: report.weightsSet },
              'epoch done',
            ),
          )
          .catch((error: unknown) => {
            if (!closed) logger.error({ err: error }, 'epoch failed; retrying next epoch');
          })
          .finally(schedule);
      },
      started ? settings.epochLengthSeconds * 1000 : 0,
    );
    started = true;
  };

  return {
    ...(gateway ? { gatewayPort: gateway.port } : {}),
    ...(metricsServer ? { metricsPort: metricsServer.port } : {}),
    ...(dashboard ? { dashboardUrl: dashboard.url } : {}),
    runEpoch: runOne,
    refreshMiners,
    start: () => {
      if (started || closed) return;
      schedule();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      abort.abort();
      await queue.catch(() => undefined);
      await dashboard?.close();
      await closeGateway();
      await metricsServer?.close();
      await store.save();
      await history.save();
      await evaluator.close();
      await dendrite.close();
      logger.info('validator closed');
    },
  };
}

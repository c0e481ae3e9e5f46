import { randomBytes } from 'node:crypto';
import { DEFAULT_TIERS, Dendrite } from '@signal/core';
import { type RunningDashboard, startDashboard } from '@signal/dashboard';
import { pino } from 'pino';
import { validatorDashboardSources } from '../dashboard/validatorDashboardSources';
import { type RunningGateway, startGateway } from '../gateway/startGateway';
import { ApiKeyStore } from '../gateway-keys/ApiKeyStore';
import { RateLimiter } from '../gateway-keys/RateLimiter';
import { HistoryStore, historyPathFor } from '../history/HistoryStore';
import type { EpochContext } from '../loop/EpochContext';
import type { EpochReport } from '../loop/EpochReport';
import { MinerDirectory } from '../loop/MinerDirectory';
import { runEpoch } from '../loop/runEpoch';
import { METADATA_CONCURRENCY, syncMiners } from '../loop/syncMiners';
import { type MetricsServer, serveMetrics } from '../metrics/serveMetrics';
import { ValidatorMetrics } from '../metrics/ValidatorMetrics';
import { ScoreStateStore } from '../state/ScoreStateStore';
import { HostedEvaluator } from '../worker/HostedEvaluator';
import { logStateRecovery } from './logStateRecovery';
import type { RunningValidator } from './RunningValidator';
import type { StartValidatorOptions } from './StartValidatorOptions';
import { ValidatorError } from './ValidatorError';
import { validatorSettings, validatorTiers } from './validatorSettings';

const MIB = 1024 * 1024;

/**
 * Starts a validator: opens the persisted scores, the evaluation models (lazily), the
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
  // Evaluation runs in model worker threads, so the gateway keeps answering while it scores.
  const evaluator = await HostedEvaluator.start({
    models: settings.models,
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

  let gateway: RunningGateway | undefined;
  let metricsServer: MetricsServer | undefined;
  let dashboard: RunningDashboard | undefined;
  try {
    if (options.gateway) {
      gateway = await startGateway(
        {
          tiers,
          dendrite,
          evaluator,
          store,
          directory,
          keys: await ApiKeyStore.open(options.gateway.keysFile),
          limiter: new RateLimiter(),
          logger,
          metrics,
        },
        {
          ...(options.gateway.host === undefined ? {} : { host: options.gateway.host }),
          ...(options.gateway.port === undefined ? {} : { port: options.gateway.port }),
          ...(options.gateway.organicScoredFraction === undefined
            ? {}
            : { organicScoredFraction: options.gateway.organicScoredFraction }),
        },
      );
      logger.info({ port: gateway.port }, 'gateway listening');
    }
    if (options.metrics) {
      metricsServer = await serveMetrics(metrics.registry, options.metrics);
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
        }),
        logger,
      });
      logger.info({ url: dashboard.url }, 'dashboard listening');
    }
  } catch (error) {
    await metricsServer?.close();
    await gateway?.close();
    await evaluator.close();
    await dendrite.close();
    throw error;
  }

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
    return sync.miners.length;
  };
  if (gateway) {
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
      .then(() => {
        epoch += 1;
        return runEpoch(context, epoch);
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
      await gateway?.close();
      await metricsServer?.close();
      await dashboard?.close();
      await store.save();
      await history.save();
      await evaluator.close();
      await dendrite.close();
      logger.info('validator closed');
    },
  };
}

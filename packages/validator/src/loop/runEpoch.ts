import { scoreResponse, type TierConfig, tierPayloadLimits } from '@signal/core';
import { SeededRandom } from '../corpus/SeededRandom';
import type { Evaluation } from '../evaluate/Evaluation';
import { EpochRecorder } from '../history/EpochRecorder';
import type { MinerTarget } from '../query/MinerTarget';
import type { QueryOutcome } from '../query/QueryOutcome';
import { queryCondense } from '../query/queryCondense';
import { type FrameQueryOutcome, queryCondenseFrame } from '../query/queryCondenseFrame';
import { isScoredRequest } from '../tasks/scoredRequest';
import { synthesizeTasks } from '../tasks/synthesizeTasks';
import type { Task } from '../tasks/Task';
import { familiesForTier } from '../validator/tierFamilies';
import { checkReveals } from '../weights/checkReveals';
import { computeWeights } from '../weights/computeWeights';
import { emitWeights } from '../weights/emitWeights';
import type { WeightsOutcome } from '../weights/WeightsOutcome';
import { batches } from './batches';
import type { EpochContext } from './EpochContext';
import type { EpochReport } from './EpochReport';
import { epochSeed } from './epochSeed';
import { emptyTally, type MinerTally, tallyMeans } from './MinerTally';
import { requestsPerMiner } from './requestsPerMiner';
import { METADATA_CONCURRENCY, syncMiners } from './syncMiners';
import { tierModel } from './tierModel';

/**
 * One epoch: sync, query every tier's miners with the same seeded tasks in shuffled batches,
 * evaluate each payload with the target model, fold scores into the moving state, save it,
 * then set weights when the chain allows. Miner failures score 0 and never stop the epoch.
 */
export async function runEpoch(context: EpochContext, epoch: number): Promise<EpochReport> {
  const { logger, metrics, store, settings } = context;
  const stopTimer = metrics.epochSeconds.startTimer();
  const sync = await syncMiners({
    chain: context.chain,
    netuid: context.netuid,
    dendrite: context.dendrite,
    selfHotkey: context.hotkey.address,
    tiers: context.tiers,
    metadataTimeoutSeconds: settings.metadataTimeoutSeconds,
    concurrency: METADATA_CONCURRENCY,
  });
  context.directory.update(sync.metagraph, sync.miners);
  const tierOf = new Map(sync.miners.map((miner) => [miner.uid, miner.tier]));
  context.history.reconcile(sync.metagraph.neurons);
  store.reconcile(
    sync.metagraph.neurons.map((neuron) => ({
      uid: neuron.uid,
      hotkey: neuron.hotkey,
      tier: tierOf.get(neuron.uid),
    })),
  );
  logger.info(
    { epoch, block: sync.metagraph.block, miners: sync.miners.length, silent: sync.silent.length },
    'epoch: metagraph synced',
  );
  await checkReveals({
    chain: context.chain,
    netuid: context.netuid,
    hotkey: context.hotkey.address,
    uid: sync.metagraph.neurons.find((n) => n.hotkey === context.hotkey.address)?.uid ?? null,
    store,
    logger,
  });

  const seed = epochSeed(settings.secret, epoch, sync.metagraph.block);
  const tallies = new Map<number, MinerTally>(sync.miners.map((m) => [m.uid, emptyTally()]));
  const recorder = new EpochRecorder(epoch, (uid, hotkey, row) =>
    context.history.addEvaluation(uid, hotkey, row),
  );
  context.evaluator.clearReferences();
  try {
    for (const tier of context.tiers) {
      await runTier(
        context,
        tier,
        sync.miners.filter((m) => m.tier === tier.name),
        seed,
        tallies,
        recorder,
      );
    }
  } finally {
    context.evaluator.clearReferences();
  }
  await store.save();

  const computed = computeWeights(store.state, sync.metagraph, context.tiers);
  // A shutdown mid-epoch keeps what was scored but sets no weights from a partial epoch.
  const outcome: WeightsOutcome = context.signal.aborted
    ? { set: false, reason: 'aborted', message: 'the validator is shutting down' }
    : await emitWeights({
        chain: context.chain,
        netuid: context.netuid,
        signer: context.hotkey,
        versionKey: settings.versionKey,
        metagraph: sync.metagraph,
        computed,
        store,
      });
  if (outcome.set && outcome.path === 'commit') {
    logger.info(
      {
        epoch,
        block: outcome.block,
        uids: outcome.uids,
        chainEpoch: outcome.commit.epoch,
        revealEpoch: outcome.commit.revealEpoch,
        revealRound: outcome.commit.revealRound,
      },
      'weights committed',
    );
  } else if (outcome.set)
    logger.info({ epoch, block: outcome.block, uids: outcome.uids }, 'weights set');
  else logger.warn({ epoch, reason: outcome.reason, message: outcome.message }, 'weights not set');
  metrics.epochs.inc({ weights_set: String(outcome.set) });
  for (const miner of store.state.miners) {
    metrics.minerScore.set({ uid: String(miner.uid), tier: miner.tier }, miner.score);
  }
  const weightOf = new Map(computed.uids.map((uid, i) => [uid, computed.weights[i]!]));
  context.history.addEpoch(
    recorder.finish({
      block: sync.metagraph.block,
      weights: weightOf,
      movingScores: new Map(store.state.miners.map((miner) => [miner.uid, miner.score])),
    }),
  );
  await context.history.save();
  stopTimer();

  return {
    epoch,
    block: sync.metagraph.block,
    weightsSet: outcome.set,
    weights: outcome,
    miners: sync.miners.map((miner) => ({
      uid: miner.uid,
      hotkey: miner.hotkey,
      tier: miner.tier,
      ...(miner.methods[0] === undefined ? {} : { method: miner.methods[0] }),
      ...tallyMeans(tallies.get(miner.uid)!),
      weight: weightOf.get(miner.uid) ?? 0,
    })),
  };
}

async function runTier(
  context: EpochContext,
  tier: TierConfig,
  miners: readonly MinerTarget[],
  seed: string,
  tallies: Map<number, MinerTally>,
  recorder: EpochRecorder,
): Promise<void> {
  if (miners.length === 0) return;
  const { logger, settings } = context;
  const model = tierModel(tier, (name) => context.evaluator.hasModel(name));
  if (model === undefined) {
    logger.warn(
      { tier: tier.name, supportingModels: tier.supportingModels },
      'no local model for this tier; its miners are not scored',
    );
    return;
  }
  // Frames are vetted on arrival against the tier and decoded into the model's cache dtype.
  const frameLimits = miners.some((miner) => miner.binaryRoute)
    ? tierPayloadLimits(tier, {
        expectedModel: model,
        geometry: await context.evaluator.geometry(model),
      })
    : undefined;
  const count = requestsPerMiner(tier, miners.length, settings.tasksPerMiner);
  const tasks = synthesizeTasks({
    seed,
    tier: { name: tier.name, maxContextChars: tier.maxContextChars },
    count,
    families: [...familiesForTier(settings, tier.name)],
    ...(settings.recall ? { recall: settings.recall } : {}),
  });
  const order = SeededRandom.from(seed, 'order', tier.name);
  for (const task of tasks) {
    if (context.signal.aborted) return;
    const shuffled = order.fork(task.id).shuffle([...miners]);
    for (const batch of batches(shuffled, settings.batchSize)) {
      const outcomes = await Promise.all(
        batch.map((miner) => {
          const query = {
            dendrite: context.dendrite,
            miner,
            context: task.context,
            targetModel: model,
            tier: tier.name,
            timeoutSeconds: tier.timeoutSeconds,
            signal: context.signal,
          };
          // A miner that advertises the binary route sends its payload as a frame on it.
          return miner.binaryRoute && frameLimits
            ? queryCondenseFrame({ ...query, limits: frameLimits })
            : queryCondense(query);
        }),
      );
      for (const [index, miner] of batch.entries()) {
        // A request cut short by shutdown says nothing about the miner.
        if (context.signal.aborted) return;
        await scoreOne(
          context,
          tier,
          model,
          task,
          miner,
          outcomes[index]!,
          seed,
          tallies,
          recorder,
        );
      }
    }
  }
}

async function scoreOne(
  context: EpochContext,
  tier: TierConfig,
  model: string,
  task: Task,
  miner: MinerTarget,
  outcome: QueryOutcome | FrameQueryOutcome,
  seed: string,
  tallies: Map<number, MinerTally>,
  recorder: EpochRecorder,
): Promise<void> {
  const { metrics, logger } = context;
  const tally = tallies.get(miner.uid)!;
  tally.requests += 1;
  const scored = isScoredRequest({
    seed,
    taskId: task.id,
    uid: miner.uid,
    unscoredFraction: context.settings.unscoredFraction,
  });
  let evaluation: Evaluation;
  if (!outcome.ok) {
    evaluation = {
      valid: false,
      code: 'QUERY_FAILED',
      message: `${outcome.status} ${outcome.message}`,
    };
  } else if (!scored) {
    // Sent and timed like the rest; running the model on it would change no score.
    evaluation = { valid: false, code: 'UNSCORED', message: 'not scored' };
  } else {
    const stop = metrics.evaluationSeconds.startTimer({ family: task.family });
    evaluation = await context.evaluator.evaluate(
      'received' in outcome
        ? { task, tier, model, received: outcome.received }
        : { task, tier, model, raw: outcome.raw },
    );
    stop();
  }
  const result = outcome.ok ? (evaluation.valid ? 'valid' : 'invalid') : `status_${outcome.status}`;
  metrics.requests.inc({ tier: tier.name, outcome: scored ? result : 'unscored' });
  const score = evaluation.valid
    ? scoreResponse({
        accuracy: evaluation.accuracy,
        originalTokens: evaluation.originalTokens,
        condensedTokens: evaluation.condensedTokens,
        alpha: tier.alpha,
        valid: true,
      })
    : 0;
  recorder.observe({
    uid: miner.uid,
    hotkey: miner.hotkey,
    tier: tier.name,
    method: miner.methods[0] ?? null,
    taskId: task.id,
    family: task.family,
    outcome,
    evaluation,
    scored,
    score,
  });
  if (!scored) return;
  if (!evaluation.valid) {
    logger.debug(
      { uid: miner.uid, task: task.id, code: evaluation.code, message: evaluation.message },
      'response scored 0',
    );
  }
  context.store.record({
    uid: miner.uid,
    hotkey: miner.hotkey,
    tier: tier.name,
    score,
    latencyMs: outcome.ok ? outcome.latencyMs : null,
  });
  tally.scored += 1;
  tally.score += score;
  if (outcome.ok) {
    tally.latencyMs += outcome.latencyMs;
    tally.latencyCount += 1;
  }
  if (evaluation.valid) {
    tally.valid += 1;
    tally.accuracy += evaluation.accuracy;
    tally.compression += evaluation.compression;
    if (evaluation.fidelity !== null) {
      tally.fidelity += evaluation.fidelity;
      tally.fidelityCount += 1;
    }
  }
}

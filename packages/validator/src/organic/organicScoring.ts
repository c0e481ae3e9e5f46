import { scoreResponse } from '@signal/core';
import type { OrganicScoring } from '@signal/gateway';
import type { Logger } from 'pino';
import type { EvaluationService } from '../evaluate/EvaluationService';
import type { ScoreStateStore } from '../state/ScoreStateStore';

export interface ValidatorOrganicScoring extends OrganicScoring {
  /** Resolves once every evaluation started so far has been recorded. */
  settled(): Promise<void>;
}

/**
 * Scores a share of the gateway's organic responses like synthetic ones: a miner that
 * failed the request scores 0, a payload is evaluated with the target model and recorded
 * into the moving scores. Only models this validator holds are scored.
 */
export function organicScoring(options: {
  evaluator: EvaluationService;
  store: ScoreStateStore;
  logger: Logger;
  fraction: number;
  random?: () => number;
}): ValidatorOrganicScoring {
  const { evaluator, store, logger, fraction } = options;
  const random = options.random ?? Math.random;
  const jobs = new Set<Promise<void>>();
  return {
    sample: (model) => evaluator.hasModel(model) && random() < fraction,
    failed: (miner, tier, latencyMs) =>
      store.record({ uid: miner.uid, hotkey: miner.hotkey, tier: tier.name, score: 0, latencyMs }),
    succeeded: ({ miner, tier, model, context, payload, latencyMs }) => {
      const job = evaluator
        .evaluateOrganic({ context, tier, model, raw: payload })
        .then((evaluation) => {
          const score = evaluation.valid
            ? scoreResponse({
                accuracy: evaluation.accuracy,
                originalTokens: evaluation.originalTokens,
                condensedTokens: evaluation.condensedTokens,
                alpha: tier.alpha,
                valid: true,
              })
            : 0;
          store.record({ uid: miner.uid, hotkey: miner.hotkey, tier: tier.name, score, latencyMs });
        })
        .catch((error: unknown) => logger.error({ err: error }, 'organic scoring failed'));
      jobs.add(job);
      job.finally(() => jobs.delete(job));
    },
    settled: async () => {
      await Promise.all([...jobs]);
    },
  };
}

import type { ServedWorker, WorkerSetup } from '@signal/runtime';
import { Evaluator } from '../evaluate/Evaluator';
import type { ValidatorJobs, ValidatorWorkerInit } from './ValidatorJobs';

/**
 * An evaluation worker: its own `Evaluator` (models, embedders, full-context references) on
 * the intra-op threads the host's budget gives it.
 */
export function createValidatorWorker(
  init: ValidatorWorkerInit,
  setup: WorkerSetup,
): ServedWorker<ValidatorJobs> {
  const evaluator = new Evaluator({
    ...init,
    session: { interOpThreads: 1, ...init.session, intraOpThreads: setup.intraOpThreads },
  });
  let referenceEpoch = 0;
  return {
    handlers: {
      evaluate: ({ referenceEpoch: epoch, ...parameters }) => {
        if (epoch !== referenceEpoch) {
          evaluator.clearReferences();
          referenceEpoch = epoch;
        }
        return evaluator.evaluate(parameters);
      },
      evaluateOrganic: (parameters) => evaluator.evaluateOrganic(parameters),
      geometry: ({ model }) => evaluator.geometry(model),
      countTokens: ({ model, text }) => evaluator.countTokens(model, text),
    },
    close: () => evaluator.close(),
  };
}

import { workerEntry } from '@signal/core';
import type { WorkerModule } from '@signal/runtime';
import { EvaluateError } from '../evaluate/EvaluateError';
import { InvalidPayloadError } from '../evaluate/InvalidPayloadError';
import { EvaluationError } from '../evaluation/EvaluationError';
import type { ValidatorWorkerInit } from './ValidatorJobs';

/** The validator's evaluation worker module: its entry, its init and its error classes. */
export function validatorWorkerModule(
  init: ValidatorWorkerInit,
): WorkerModule<ValidatorWorkerInit> {
  return {
    entry: workerEntry(__filename, { source: './validatorWorker.ts', built: 'validatorWorker' }),
    init,
    errors: [EvaluateError, EvaluationError, InvalidPayloadError],
  };
}

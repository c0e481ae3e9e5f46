import type { ModelGeometry } from '@signal/core';
import type { JobSpec, SessionOptionsInput } from '@signal/runtime';
import type { Evaluation } from '../evaluate/Evaluation';
import type { EvaluateOrganicParameters, EvaluateParameters } from '../evaluate/Evaluator';

/** What the validator's evaluation workers are built from (structured-clonable). */
export interface ValidatorWorkerInit {
  readonly models: Readonly<Record<string, string>>;
  readonly budgetBytes?: number;
  readonly maxContinuationTokens?: number;
  readonly maxAnswerTokens?: number;
  /** ONNX session options; the intra-op threads always come from the host's budget. */
  readonly session?: SessionOptionsInput;
}

/**
 * A scored evaluation. `referenceEpoch` grows each time the references are cleared: a worker
 * that sees a newer one drops the full-context references it kept.
 */
export type EvaluateJob = EvaluateParameters & { readonly referenceEpoch: number };

/** The jobs of the validator's evaluation workers; every model call of a validator is one. */
export type ValidatorJobs = {
  evaluate: JobSpec<EvaluateJob, Evaluation>;
  evaluateOrganic: JobSpec<EvaluateOrganicParameters, Evaluation>;
  geometry: JobSpec<{ readonly model: string }, ModelGeometry>;
  countTokens: JobSpec<{ readonly model: string; readonly text: string }, number>;
};

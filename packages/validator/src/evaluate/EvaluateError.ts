import { SignalError } from '@signal/core';

export type EvaluateErrorCode =
  | 'EVAL_MODEL_UNKNOWN'
  | 'EVAL_TASK_UNSUITABLE'
  | 'EVAL_INPUT_MISMATCH';

/** The validator itself cannot evaluate (a misconfigured model or task), not the miner's fault. */
export class EvaluateError extends SignalError<EvaluateErrorCode> {
  override name = 'EvaluateError';
}

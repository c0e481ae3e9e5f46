import { SignalError } from '@signal/core';

export type EvaluationErrorCode =
  | 'EVAL_BAD_LOG_PROBS'
  | 'EVAL_LENGTH_MISMATCH'
  | 'EVAL_BAD_TOKEN_COUNT'
  | 'EVAL_BAD_GAP';

/**
 * The evaluator was handed inputs it cannot score (NaN log-probs, arrays that do not line
 * up, a tokenizer that returned nonsense). These are the validator's own bugs or the
 * runtime's, never a miner's: a miner's bad payload is scored 0 before it gets here.
 */
export class EvaluationError extends SignalError<EvaluationErrorCode> {
  override name = 'EvaluationError';
}

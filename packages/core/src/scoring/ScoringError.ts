import { SignalError, type SignalErrorOptions } from '../errors/SignalError';

export const SCORING_ERROR_CODES = [
  /** A response's accuracy, token counts or alpha are not usable numbers. */
  'SCORE_INPUT_INVALID',
  /** A miner score or EMA parameter is NaN, infinite or out of range. */
  'SCORES_INVALID',
  /** Weights and uids differ in length. */
  'WEIGHTS_LENGTH_MISMATCH',
  /** There is no weight at all to normalise. */
  'WEIGHTS_EMPTY',
  /** A weight is below zero, which cannot exist on chain. */
  'WEIGHTS_NEGATIVE',
  /** A weight is NaN or infinite. */
  'WEIGHTS_NOT_FINITE',
  /** A uid is negative or not an integer. */
  'UIDS_INVALID',
  /** The max-weight limit is NaN or negative. */
  'WEIGHT_LIMIT_INVALID',
] as const;

export type ScoringErrorCode = (typeof SCORING_ERROR_CODES)[number];

export class ScoringError extends SignalError<ScoringErrorCode> {
  override name = 'ScoringError';

  constructor(code: ScoringErrorCode, shortMessage: string, options?: SignalErrorOptions) {
    super(code, shortMessage, options);
  }
}

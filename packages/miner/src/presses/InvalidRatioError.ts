import { SignalError } from '@signal/core';

/** A compression ratio outside [0, 1) or not a finite number; the message names the value. */
export class InvalidRatioError extends SignalError<'MINER_INVALID_RATIO'> {
  override name = 'InvalidRatioError';
  readonly ratio: unknown;

  constructor(ratio: unknown) {
    super('MINER_INVALID_RATIO', `Compression ratio ${String(ratio)} is not allowed.`, {
      details: 'A ratio is the fraction of tokens removed: a finite number with 0 <= ratio < 1.',
    });
    this.ratio = ratio;
  }
}

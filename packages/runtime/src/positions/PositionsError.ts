import { SignalError } from '@signal/core';

export type PositionsErrorCode = 'POSITIONS_REWRITE_UNSUPPORTED' | 'POSITIONS_REWRITE_FAILED';

/** A graph whose rotary cannot be moved onto explicit positions, or whose rewrite could not be written. */
export class PositionsError extends SignalError<PositionsErrorCode> {
  override name = 'PositionsError';
}

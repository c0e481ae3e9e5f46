import { SignalError } from '@signal/core';

export type StateFileErrorCode =
  | 'STATE_CORRUPT'
  | 'STATE_UNSUPPORTED_VERSION'
  | 'STATE_IO'
  | 'STATE_INVALID_UPDATE';

/**
 * A persisted file (score state, API keys) could not be read, parsed or written, or an
 * update would have made it invalid. `details` names the file and what was wrong with it.
 */
export class StateFileError extends SignalError<StateFileErrorCode> {
  override name = 'StateFileError';
}

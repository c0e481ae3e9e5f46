import { SignalError } from '@signal/core';

/** Keys, queries, scores or options handed to a KV press that do not fit together. */
export class PressInputError extends SignalError<'MINER_PRESS_INPUT'> {
  override name = 'PressInputError';

  constructor(shortMessage: string, details?: string) {
    super('MINER_PRESS_INPUT', shortMessage, { details });
  }
}

import { SignalError } from '@signal/core';

/** Tokens, log-probabilities or options handed to the text compressor that do not fit. */
export class TextInputError extends SignalError<'MINER_TEXT_INPUT'> {
  override name = 'TextInputError';

  constructor(shortMessage: string, details?: string) {
    super('MINER_TEXT_INPUT', shortMessage, { details });
  }
}

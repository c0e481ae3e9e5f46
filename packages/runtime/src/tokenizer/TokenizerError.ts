import { SignalError } from '@signal/core';

export type TokenizerErrorCode = 'TOKENIZER_FILE_MISSING' | 'TOKENIZER_INVALID';

/** A tokenizer file is missing, is not JSON, or describes a tokenizer that cannot run. */
export class TokenizerError extends SignalError<TokenizerErrorCode> {
  override name = 'TokenizerError';
}

import { SignalError } from '@signal/core';

export type TokenizerErrorCode =
  | 'TOKENIZER_FILE_MISSING'
  | 'TOKENIZER_INVALID'
  | 'TOKENIZER_NO_CHAT_TEMPLATE'
  | 'TOKENIZER_TEMPLATE_FAILED'
  | 'TOKENIZER_TEMPLATE_BUDGET';

/** A tokenizer file is missing, is not JSON, or describes a tokenizer that cannot run; or its chat template fails or overspends. */
export class TokenizerError extends SignalError<TokenizerErrorCode> {
  override name = 'TokenizerError';
}

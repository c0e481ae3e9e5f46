import { SignalError } from '@signal/core';

export type CausalLMErrorCode =
  | 'LM_INVALID_INPUT'
  | 'LM_ABORTED'
  | 'LM_PRUNED_CACHE_UNSUPPORTED'
  | 'LM_PADDING_UNSUPPORTED'
  | 'LM_NO_PREDICTOR'
  | 'LM_RUN_FAILED';

/** A forward pass, generation or scoring request was invalid, cancelled, or failed inside ORT. */
export class CausalLMError extends SignalError<CausalLMErrorCode> {
  override name = 'CausalLMError';
}

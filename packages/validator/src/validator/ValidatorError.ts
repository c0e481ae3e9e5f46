import { SignalError } from '@signal/core';

export type ValidatorErrorCode = 'VALIDATOR_BAD_OPTIONS' | 'VALIDATOR_CLOSED';

/** The validator was misconfigured, or used after `close()`. */
export class ValidatorError extends SignalError<ValidatorErrorCode> {
  override name = 'ValidatorError';
}

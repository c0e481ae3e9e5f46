import { SignalError, type SignalErrorOptions } from '@signal/core';

export type ValidatorCliErrorCode = 'VALIDATOR_CLI_USAGE' | 'VALIDATOR_CONFIG_INVALID';

/** A `signal-validator` invocation that cannot run: a missing setting or a bad config file. */
export class ValidatorCliError extends SignalError<ValidatorCliErrorCode> {
  override name = 'ValidatorCliError';

  constructor(code: ValidatorCliErrorCode, shortMessage: string, options: SignalErrorOptions = {}) {
    super(code, shortMessage, options);
  }
}

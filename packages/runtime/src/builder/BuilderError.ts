import { SignalError, type SignalErrorOptions } from '@signal/core';

export type BuilderErrorCode = 'BUILDER_INVALID_OPTIONS' | 'BUILDER_WRITE_FAILED';

export class BuilderError extends SignalError<BuilderErrorCode> {
  override name = 'BuilderError';

  constructor(code: BuilderErrorCode, shortMessage: string, options?: SignalErrorOptions) {
    super(code, shortMessage, options);
  }
}

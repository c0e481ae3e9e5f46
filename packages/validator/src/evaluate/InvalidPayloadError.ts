import { SignalError, type SignalErrorOptions } from '@signal/core';

export type InvalidPayloadCode =
  | 'PAYLOAD_NOT_FINITE'
  | 'PAYLOAD_UNDECODABLE'
  | 'PAYLOAD_FORMAT_UNSUPPORTED'
  | 'PAYLOAD_TOKENS_MISMATCH';

/**
 * A payload passed core's declared-shape checks but failed once decoded: non-finite values,
 * tensors that do not decode, a format the target model cannot take, or counts that do not add up.
 */
export class InvalidPayloadError extends SignalError<InvalidPayloadCode> {
  override name = 'InvalidPayloadError';

  constructor(code: InvalidPayloadCode, shortMessage: string, options: SignalErrorOptions = {}) {
    super(code, shortMessage, options);
  }
}

import { SignalError, type SignalErrorOptions } from '@signal/core';

/** Why the subnet did not condense a request; the proxy then forwards the original. */
export type CondenseFailureReason =
  /** `--proxy.condense-timeout` passed. */
  | 'timeout'
  /** The gateway or the miners could not be reached, or failed on their side. */
  | 'unavailable'
  /** An answer came back that is not a valid condensed payload. */
  | 'invalid_response'
  /** The subnet refused the request (bad key, unknown tier, context too long, …). */
  | 'rejected'
  /** The long parts do not fit one payload of this format. */
  | 'too_long'
  /** The client went away while we waited. */
  | 'aborted';

export class CondenseFailure extends SignalError<'PROXY_CONDENSE_FAILED'> {
  override name = 'CondenseFailure';
  readonly reason: CondenseFailureReason;

  constructor(
    reason: CondenseFailureReason,
    shortMessage: string,
    options: SignalErrorOptions = {},
  ) {
    super('PROXY_CONDENSE_FAILED', shortMessage, options);
    this.reason = reason;
  }
}

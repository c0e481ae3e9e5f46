import { SignalError } from '@signal/core';

/** Why the miner turned a well-formed request down; the HTTP status follows from the code. */
export const REQUEST_ERROR_STATUS = {
  /** The request names something this miner does not serve (model, adapter, tier). */
  MINER_NOT_SERVED: 400,
  /** The request's fields are inconsistent or out of range. */
  MINER_BAD_REQUEST: 400,
  /** The context is longer than the tier allows. */
  MINER_CONTEXT_TOO_LONG: 413,
  /** The tier's condensed-token or compression bounds cannot be met for this context. */
  MINER_TIER_LIMIT: 422,
  /** A payload sent to the miner breaks the receiver's limits. */
  MINER_PAYLOAD_INVALID: 422,
} as const;

export type MinerRequestErrorCode = keyof typeof REQUEST_ERROR_STATUS;

/** A request the miner refuses for what it asks, not for who asks (that is `RequestRefusedError`). */
export class MinerRequestError extends SignalError<MinerRequestErrorCode> {
  override name = 'MinerRequestError';
  readonly status: (typeof REQUEST_ERROR_STATUS)[MinerRequestErrorCode];

  constructor(
    code: MinerRequestErrorCode,
    shortMessage: string,
    options: { details?: string; cause?: unknown } = {},
  ) {
    super(code, shortMessage, options);
    this.status = REQUEST_ERROR_STATUS[code];
  }
}

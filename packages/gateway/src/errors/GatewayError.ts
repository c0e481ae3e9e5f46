import { SignalError, type SignalErrorOptions } from '@signal/core';

export type GatewayErrorCode =
  | 'GATEWAY_BAD_REQUEST'
  | 'GATEWAY_BODY_TOO_LARGE'
  /** The body did not arrive within the request timeout (node:http has answered 408). */
  | 'GATEWAY_REQUEST_TIMEOUT'
  /** The client went away before its body was complete. */
  | 'GATEWAY_CLIENT_CLOSED'
  | 'GATEWAY_NOT_FOUND'
  | 'GATEWAY_FORBIDDEN'
  | 'GATEWAY_NO_MINER'
  | 'GATEWAY_NO_MINER_VIEW'
  | 'GATEWAY_MINERS_FAILED'
  | 'GATEWAY_MINERS_REFUSED';

const STATUS: Record<GatewayErrorCode, number> = {
  GATEWAY_BAD_REQUEST: 400,
  GATEWAY_BODY_TOO_LARGE: 413,
  GATEWAY_REQUEST_TIMEOUT: 408,
  GATEWAY_CLIENT_CLOSED: 499,
  GATEWAY_NOT_FOUND: 404,
  GATEWAY_FORBIDDEN: 403,
  GATEWAY_NO_MINER: 503,
  GATEWAY_NO_MINER_VIEW: 503,
  GATEWAY_MINERS_FAILED: 502,
  GATEWAY_MINERS_REFUSED: 422,
};

/** A refusal of the organic gateway, with the HTTP status it maps to and the field at fault. */
export class GatewayError extends SignalError<GatewayErrorCode> {
  override name = 'GatewayError';
  readonly status: number;
  readonly field: string | undefined;

  constructor(
    code: GatewayErrorCode,
    shortMessage: string,
    options: SignalErrorOptions & { field?: string } = {},
  ) {
    super(code, shortMessage, options);
    this.status = STATUS[code];
    this.field = options.field;
  }
}

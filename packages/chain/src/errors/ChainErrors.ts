import { SignalError } from '@signal/core';

/** The endpoint could not be reached (refused, DNS failure, handshake never completed). */
export class ChainUnreachableError extends SignalError<'CHAIN_UNREACHABLE'> {
  override name = 'ChainUnreachableError';
  constructor(endpoint: string, options: { details?: string; cause?: unknown } = {}) {
    super('CHAIN_UNREACHABLE', `Cannot reach the chain at ${endpoint}`, options);
  }
}

/**
 * The websocket to the node closed while a request was in flight, or before it could be sent.
 * Reads are retried once the link is back; a submission is checked on chain first.
 */
export class ChainConnectionLostError extends SignalError<'CHAIN_CONNECTION_LOST'> {
  override name = 'ChainConnectionLostError';
  constructor(what: string, options: { details?: string; cause?: unknown } = {}) {
    super('CHAIN_CONNECTION_LOST', `The connection to the chain dropped during ${what}`, options);
  }
}

/** A chain call did not answer within its deadline. */
export class ChainTimeoutError extends SignalError<'CHAIN_TIMEOUT'> {
  override name = 'ChainTimeoutError';
  constructor(what: string, timeoutMs: number) {
    super('CHAIN_TIMEOUT', `${what} timed out after ${timeoutMs} ms`);
  }
}

/** The node answered, but with an RPC error or data we cannot decode. */
export class ChainRequestError extends SignalError<'CHAIN_REQUEST'> {
  override name = 'ChainRequestError';
  constructor(what: string, options: { details?: string; cause?: unknown } = {}) {
    super('CHAIN_REQUEST', `${what} failed`, options);
  }
}

/** A subnet that does not exist (the runtime API returned None). */
export class SubnetNotFoundError extends SignalError<'SUBNET_NOT_FOUND'> {
  override name = 'SubnetNotFoundError';
  constructor(readonly netuid: number) {
    super('SUBNET_NOT_FOUND', `Subnet ${netuid} does not exist`);
  }
}

/** The hotkey has no uid on the subnet, so it cannot set weights or serve. */
export class NotRegisteredError extends SignalError<'NOT_REGISTERED'> {
  override name = 'NotRegisteredError';
  constructor(
    readonly netuid: number,
    readonly hotkey: string,
  ) {
    super('NOT_REGISTERED', `Hotkey ${hotkey} is not registered on subnet ${netuid}`);
  }
}

/** The extrinsic was included but its dispatch failed; `reason` is the pallet error name. */
export class DispatchFailedError extends SignalError<'DISPATCH_FAILED'> {
  override name = 'DispatchFailedError';
  constructor(
    readonly reason: string,
    options: { details?: string } = {},
  ) {
    super('DISPATCH_FAILED', `The chain rejected the extrinsic: ${reason}`, options);
  }
}

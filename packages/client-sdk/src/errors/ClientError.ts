import { SignalError, type SignalErrorOptions } from '@signal/core';

/** Every way a condense call can fail, each with a stable code callers can branch on. */
export const CLIENT_ERROR_CODES = [
  /** The call's deadline passed (or every miner asked timed out). */
  'CLIENT_TIMEOUT',
  /** The metagraph holds no miner with a served axon to ask. */
  'CLIENT_NO_MINERS',
  /** The gateway or miner refused the request as bad (a 4xx other than auth). */
  'CLIENT_REJECTED',
  /** An answer came back but is not a valid condensed payload for the request. */
  'CLIENT_INVALID_RESPONSE',
  /** The API key or hotkey was refused (401/403). */
  'CLIENT_UNAUTHORIZED',
  /** The gateway or miners could not be reached or failed on their side (5xx, refused). */
  'CLIENT_UNAVAILABLE',
  /** A miner's Inference stream broke off after some text had been delivered. */
  'CLIENT_STREAM_INTERRUPTED',
  /** The caller's AbortSignal fired. */
  'CLIENT_ABORTED',
  /** The client was constructed with options that do not describe one valid mode. */
  'CLIENT_INVALID_OPTIONS',
  /** The condense call's own arguments are wrong (unknown tier, context too long, …). */
  'CLIENT_INVALID_REQUEST',
  /** A condensed format the local runtime helper cannot continue from. */
  'CLIENT_UNSUPPORTED_FORMAT',
] as const;

export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export interface ClientErrorOptions extends SignalErrorOptions {
  /** Whether trying again later could succeed (timeouts, 5xx, refused connections). */
  retryable?: boolean;
  /** The HTTP (or synapse) status that caused it, when there was one. */
  status?: number | undefined;
  /**
   * The stable code the refusing side gave (a miner's `MINER_TIER_LIMIT`, the gateway's
   * `GATEWAY_…`), passed on as it came, when it sent one.
   */
  remoteCode?: string | undefined;
}

export class ClientError extends SignalError<ClientErrorCode> {
  override name = 'ClientError';
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly remoteCode: string | undefined;

  constructor(code: ClientErrorCode, shortMessage: string, options: ClientErrorOptions = {}) {
    super(code, shortMessage, options);
    this.retryable = options.retryable ?? false;
    this.status = options.status;
    this.remoteCode = options.remoteCode;
  }
}

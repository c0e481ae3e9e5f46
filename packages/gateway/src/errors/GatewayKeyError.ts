import { SignalError, type SignalErrorOptions } from '@signal/core';

/** Why a presented key was refused; for server logs only, the client just gets a 401. */
export type InvalidKeyReason = 'missing' | 'malformed' | 'unknown' | 'revoked' | 'mismatch';

/** The request carried no usable API key. Maps to HTTP 401. */
export class InvalidApiKeyError extends SignalError<'GATEWAY_KEY_INVALID'> {
  override name = 'InvalidApiKeyError';
  readonly status = 401;
  readonly reason: InvalidKeyReason;

  constructor(reason: InvalidKeyReason, options: SignalErrorOptions = {}) {
    super('GATEWAY_KEY_INVALID', 'Invalid API key.', { details: reason, ...options });
    this.reason = reason;
  }
}

/** Which of a key's limits refused a request. */
export type RateLimitKind = 'requests_per_minute' | 'tokens_per_day';

/** The key is valid but over one of its limits. Maps to HTTP 429 with Retry-After. */
export class RateLimitedError extends SignalError<'GATEWAY_RATE_LIMITED'> {
  override name = 'RateLimitedError';
  readonly status = 429;
  readonly retryAfterMs: number;
  readonly limit: RateLimitKind;

  constructor(keyId: string, limit: RateLimitKind, retryAfterMs: number) {
    super('GATEWAY_RATE_LIMITED', 'Rate limit exceeded for this API key.', {
      details: `key ${keyId}: ${limit.replaceAll('_', ' ')} used up; retry after ${Math.ceil(retryAfterMs)} ms`,
    });
    this.retryAfterMs = retryAfterMs;
    this.limit = limit;
  }
}

export type ApiKeyAdminErrorCode = 'GATEWAY_KEY_UNKNOWN' | 'GATEWAY_BAD_KEY_PARAMETERS';

/** An administrative action on the key store (create, revoke, set limits) was given bad input. */
export class ApiKeyAdminError extends SignalError<ApiKeyAdminErrorCode> {
  override name = 'ApiKeyAdminError';
}

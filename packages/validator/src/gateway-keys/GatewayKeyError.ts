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

/** The key is valid but has used up its token bucket. Maps to HTTP 429 with Retry-After. */
export class RateLimitedError extends SignalError<'GATEWAY_RATE_LIMITED'> {
  override name = 'RateLimitedError';
  readonly status = 429;
  readonly retryAfterMs: number;

  constructor(keyId: string, retryAfterMs: number) {
    super('GATEWAY_RATE_LIMITED', 'Rate limit exceeded for this API key.', {
      details: `key ${keyId}; retry after ${Math.ceil(retryAfterMs)} ms`,
    });
    this.retryAfterMs = retryAfterMs;
  }
}

export type ApiKeyAdminErrorCode = 'GATEWAY_KEY_UNKNOWN' | 'GATEWAY_BAD_KEY_PARAMETERS';

/** An administrative action on the key store (create, revoke) was given bad input. */
export class ApiKeyAdminError extends SignalError<ApiKeyAdminErrorCode> {
  override name = 'ApiKeyAdminError';
}

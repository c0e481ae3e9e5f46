import { performance } from 'node:perf_hooks';
import type { RateLimit } from './ApiKeyRecord';
import { ApiKeyAdminError, RateLimitedError } from './GatewayKeyError';
import { type TokenBucketState, takeFromBucket } from './tokenBucket';

export interface RateLimiterOptions {
  /** Milliseconds from a monotonic clock; injectable for tests. */
  now?: () => number;
}

/** Per-key token buckets, in memory (one gateway process owns its buckets). */
export class RateLimiter {
  readonly #buckets = new Map<string, TokenBucketState>();
  readonly #now: () => number;

  constructor({ now = () => performance.now() }: RateLimiterOptions = {}) {
    this.#now = now;
  }

  /** Takes `cost` tokens from `keyId`'s bucket, or throws RateLimitedError (429). */
  take(keyId: string, limit: RateLimit, cost = 1): void {
    if (!(cost > 0 && cost <= limit.capacity)) {
      throw new ApiKeyAdminError(
        'GATEWAY_BAD_KEY_PARAMETERS',
        'Request cost must be in (0, capacity].',
        {
          details: `cost=${cost}, capacity=${limit.capacity}`,
        },
      );
    }
    const result = takeFromBucket(this.#buckets.get(keyId), limit, this.#now(), cost);
    this.#buckets.set(keyId, result.state);
    if (!result.allowed) throw new RateLimitedError(keyId, result.retryAfterMs);
  }

  /** Drops a key's bucket, e.g. after the key is revoked. */
  forget(keyId: string): void {
    this.#buckets.delete(keyId);
  }
}

import type { RateLimit } from './ApiKeyRecord';

export interface TokenBucketState {
  tokens: number;
  /** Clock reading (ms) at which `tokens` was exact. */
  at: number;
}

export type TakeResult =
  | { allowed: true; state: TokenBucketState }
  | { allowed: false; state: TokenBucketState; retryAfterMs: number };

/**
 * One token-bucket step, pure: refill for the time elapsed (capped at capacity), then take
 * `cost` tokens if there are enough. A new bucket starts full; a cost above the capacity is
 * refused with an infinite retry-after. A clock that goes backwards
 * refills nothing rather than draining.
 */
export function takeFromBucket(
  state: TokenBucketState | undefined,
  limit: RateLimit,
  now: number,
  cost = 1,
): TakeResult {
  const elapsedMs = state ? Math.max(0, now - state.at) : 0;
  const tokens = state
    ? Math.min(limit.capacity, state.tokens + (elapsedMs / 1000) * limit.refillPerSecond)
    : limit.capacity;
  if (tokens >= cost) return { allowed: true, state: { tokens: tokens - cost, at: now } };
  // A cost above the capacity can never be paid, however long the caller waits.
  const retryAfterMs =
    cost > limit.capacity
      ? Number.POSITIVE_INFINITY
      : ((cost - tokens) / limit.refillPerSecond) * 1000;
  return { allowed: false, state: { tokens, at: now }, retryAfterMs };
}

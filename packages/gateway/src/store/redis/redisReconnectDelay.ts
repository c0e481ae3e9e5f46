/** The longest wait between reconnection attempts. */
export const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * Capped exponential backoff with jitter for the `retries`-th reconnection attempt
 * (50 ms, 100 ms, … up to 2 s), so replicas that lost Redis together do not return in step.
 */
export function redisReconnectDelay(retries: number, random: () => number = Math.random): number {
  const base = Math.min(50 * 2 ** Math.min(retries, 10), MAX_RECONNECT_DELAY_MS);
  return Math.round(base / 2 + (random() * base) / 2);
}

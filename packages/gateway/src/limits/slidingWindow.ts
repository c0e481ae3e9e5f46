/** The window of a requests-per-minute limit. */
export const MINUTE_MS = 60_000;

export type WindowDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * One step of a sliding-log window, in place: forget admissions older than the window, then
 * admit (recording `now`) if fewer than `limit` remain. A refusal says when the oldest
 * admission leaves the window. `log` is ascending and never holds more than `limit` entries.
 */
export function takeFromWindow(
  log: number[],
  limit: number,
  now: number,
  windowMs = MINUTE_MS,
): WindowDecision {
  let expired = 0;
  while (expired < log.length && log[expired]! <= now - windowMs) expired += 1;
  if (expired > 0) log.splice(0, expired);
  if (log.length < limit) {
    log.push(Math.max(now, log.at(-1) ?? now));
    return { allowed: true };
  }
  return { allowed: false, retryAfterMs: Math.max(1, log[0]! + windowMs - now) };
}

/** The first cooldown after a failure; each further consecutive failure doubles it. */
export const FAILURE_COOLDOWN_MS = 2_000;
/** The longest cooldown a run of failures earns. */
export const MAX_FAILURE_COOLDOWN_MS = 60_000;
/** A miner's own Retry-After is honoured up to this long. */
export const MAX_RETRY_AFTER_MS = 600_000;

/**
 * How long every replica leaves a miner alone after its `failures`-th consecutive failure:
 * the miner's own Retry-After when it sent one (capped), else an exponential backoff.
 */
export function minerCooldownMs(failures: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), MAX_RETRY_AFTER_MS);
  return Math.min(FAILURE_COOLDOWN_MS * 2 ** Math.max(0, failures - 1), MAX_FAILURE_COOLDOWN_MS);
}

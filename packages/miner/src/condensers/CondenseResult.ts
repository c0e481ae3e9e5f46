import type { CondensedPayload } from '@signal/core';

/** Where a Condense request's time went, in milliseconds. */
export interface CondenseTimings {
  /** Running the target model over the context (prefill, or log-prob scoring for text). */
  prefillMs: number;
  /** Scoring and selecting what to keep (press, token ranking, pooling). */
  scoringMs: number;
  /** Pruning the cache to the kept positions. */
  gatherMs: number;
  /** Building the wire payload (tensor encoding). */
  encodeMs: number;
}

export interface CondenseResult {
  readonly payload: CondensedPayload;
  readonly timings: CondenseTimings;
}

export function zeroTimings(): CondenseTimings {
  return { prefillMs: 0, scoringMs: 0, gatherMs: 0, encodeMs: 0 };
}

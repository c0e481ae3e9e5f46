import type { EncodedPayload } from '@signal/core';

/** Where a Condense request's time went, in milliseconds. */
export interface CondenseTimings {
  /** Running the target model over the context (prefill, or log-prob scoring for text). */
  prefillMs: number;
  /** Scoring and selecting what to keep (press, token ranking, pooling). */
  scoringMs: number;
  /** Pruning the cache to the kept positions. */
  gatherMs: number;
  /** Encoding the kept tensors (float16 rounding, or int8/int4 quantization). */
  encodeMs: number;
}

export interface CondenseResult {
  /** Tensors as raw bytes: the handler encodes them for its route (base64 JSON or a binary frame). */
  readonly payload: EncodedPayload;
  readonly timings: CondenseTimings;
}

export function zeroTimings(): CondenseTimings {
  return { prefillMs: 0, scoringMs: 0, gatherMs: 0, encodeMs: 0 };
}

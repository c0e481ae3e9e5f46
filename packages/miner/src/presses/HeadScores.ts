/**
 * One layer's importance scores, `[heads, length]` in C order: higher means more worth keeping.
 * Heads are the KV heads of the cache (query heads of a GQA group are already averaged).
 */
export interface HeadScores {
  readonly heads: number;
  readonly length: number;
  readonly data: Float32Array;
}

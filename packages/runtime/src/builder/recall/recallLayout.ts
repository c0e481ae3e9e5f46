import { RECALL_KEY_COUNT, RECALL_VALUE_COUNT } from './recallVocabulary';

/**
 * Where the recall circuit keeps each piece of information. The residual stream is a sum of
 * disjoint subspaces, one dimension per key or value, so nothing interferes:
 *
 * - `key` / `value`: which key or value the current token is (one-hot, from the embedding);
 * - `other`: set for every other token, so that every embedding has the same norm;
 * - `constant`: 1 for every token, the input the positional layer-1 queries and keys read;
 * - `previousKey`: the key that precedes this token, written by layer 1;
 * - `answer`: the value recalled by layer 2, which lm_head reads.
 *
 * Inside the single attention head, RoPE pairs dimension `i` with `i + headDim/2`; pair `i`
 * turns at `rope_theta^(-2i/headDim)` radians per position. With `rope_theta = 1e12` pairs
 * 0..4 turn fast (1 to 0.03 rad) and pairs 16..31 turn by at most 4e-3 rad over 4096
 * positions: the first carry position, the second carry content that position cannot blur.
 */
export const RECALL_LAYOUT = {
  keys: RECALL_KEY_COUNT,
  values: RECALL_VALUE_COUNT,
  residual: {
    key: 0,
    value: RECALL_KEY_COUNT,
    other: RECALL_KEY_COUNT + RECALL_VALUE_COUNT,
    constant: RECALL_KEY_COUNT + RECALL_VALUE_COUNT + 1,
    previousKey: RECALL_KEY_COUNT + RECALL_VALUE_COUNT + 2,
    answer: 2 * RECALL_KEY_COUNT + RECALL_VALUE_COUNT + 2,
  },
  hiddenSize: 2 * RECALL_KEY_COUNT + 2 * RECALL_VALUE_COUNT + 2,
  headDim: 64,
  ropeTheta: 1e12,
  maxPositions: 4096,
  /** RoPE pairs the previous-token head uses: the fastest-turning ones. */
  positionPairs: 5,
  /** First RoPE pair the induction head matches on: pairs from here on barely turn. */
  firstStillPair: 16,
} as const;

export type RecallLayout = typeof RECALL_LAYOUT;

/**
 * The head dimension the induction head matches key `k` on: the two dimensions of each
 * still pair, so 16 still pairs hold 32 keys.
 */
export function inductionMatchDim(key: number): number {
  const { headDim, firstStillPair } = RECALL_LAYOUT;
  const half = headDim / 2;
  const stillPairs = half - firstStillPair;
  return key < stillPairs ? firstStillPair + key : half + firstStillPair + (key - stillPairs);
}

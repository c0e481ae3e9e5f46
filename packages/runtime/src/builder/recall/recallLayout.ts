import { RECALL_KEY_COUNT, RECALL_VALUE_COUNT } from './recallVocabulary';

const K = RECALL_KEY_COUNT;
const V = RECALL_VALUE_COUNT;

/**
 * Where the recall circuit keeps each piece of information. The residual stream is a sum of
 * disjoint subspaces, one dimension per key or value, so nothing interferes:
 *
 * - `key` / `value`: which key or value the current token is (one-hot, from the embedding);
 * - `other`: set for fillers, separators and special tokens, so every embedding has one unit;
 * - `aggregate`: set for the aggregate question token ("which value is most frequent?");
 * - `constant`: 1 for every token, the input positional queries and keys read;
 * - `previous`: the key (first K dims) or value (next V dims) just before this token, from layer 1;
 * - `tally`: how often each value occurs among the value tokens seen so far, from layer 1;
 * - `answer` / `answerKey`: the value or key layer 2 (or layer 1's MLP) recalled; lm_head reads them.
 *
 * Two heads per layer, head_dim 128. RoPE pairs dimension `i` with `i + headDim/2`; pair `i`
 * turns at `rope_theta^(-2i/headDim)` radians per position. With `rope_theta = 1e24` pairs
 * 0..6 turn fast (1 to 0.0056 rad) and pairs 16..63 turn by at most 0.066 rad over 65 536
 * positions: the first carry position, the others carry content that position cannot blur.
 * Seven position pairs (not five) keep every other offset up to 65 536 well below offset 1,
 * so the model holds the long_context tier (128 000 characters) as well as the short ones.
 */
export const RECALL_LAYOUT = {
  keys: K,
  values: V,
  residual: {
    key: 0,
    value: K,
    other: K + V,
    aggregate: K + V + 1,
    constant: K + V + 2,
    previous: K + V + 3,
    tally: 2 * K + 2 * V + 3,
    answer: 2 * K + 3 * V + 3,
    answerKey: 2 * K + 4 * V + 3,
  },
  hiddenSize: 3 * K + 4 * V + 3,
  heads: 2,
  headDim: 128,
  ropeTheta: 1e24,
  maxPositions: 65_536,
  /** RoPE pairs the previous-token head uses: the fastest-turning ones. */
  positionPairs: 7,
  /** First RoPE pair that barely turns: content matches live from here on. */
  firstStillPair: 16,
  /** Intermediate units of layer 1's MLP: one per value, gating the tally into the answer. */
  mlpUnits: V,
} as const;

export type RecallLayout = typeof RECALL_LAYOUT;

/** Tokens the induction head matches on: keys 0..K−1, then values as K..K+V−1. */
export const RECALL_MATCH_TOKENS = K + V;

/**
 * The head dimension the induction head matches token `t` on (a key `t < K`, or value
 * `t − K`): the first dimension of still pairs 16..63, then the second dimension of the
 * pairs after them, so no two tokens share a dimension.
 */
export function inductionMatchDim(token: number): number {
  const { headDim, firstStillPair } = RECALL_LAYOUT;
  const half = headDim / 2;
  const stillPairs = half - firstStillPair;
  return token < stillPairs ? firstStillPair + token : half + firstStillPair + (token - stillPairs);
}

/**
 * Head dimensions that carry no match and barely turn: each head's constant key component
 * lives here, so keys share a mean direction as real models' keys do (queries are zero
 * there, so attention logits do not change).
 */
export const RECALL_KEY_BIAS_DIM = RECALL_LAYOUT.headDim - 1;
/** The counting head's match dimension (a still pair no other part of that head uses). */
export const RECALL_COUNT_DIM = RECALL_LAYOUT.firstStillPair;
/** A value-side dimension every head writes a constant into and o_proj ignores. */
export const RECALL_VALUE_BIAS_DIM = RECALL_LAYOUT.headDim - 1;

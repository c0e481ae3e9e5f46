import type { LlamaConfig } from '../LlamaConfig';
import type { Weight } from '../llamaWeights';
import {
  inductionMatchDim,
  RECALL_COUNT_DIM,
  RECALL_KEY_BIAS_DIM,
  RECALL_LAYOUT,
  RECALL_MATCH_TOKENS,
  RECALL_VALUE_BIAS_DIM,
} from './recallLayout';
import type { RecallTokenIds } from './recallTokenizer';

/**
 * Attention logit of the previous-token head at offset 1. Its positional score is a sum of
 * cosines that is at least 8 % lower at any other offset up to 65 536 (checked in tests),
 * so the nearest rival trails by ≥ 29 nats and the head is one-hot in float32.
 */
const PREVIOUS_TOKEN_LOGIT = 360;
/**
 * What the previous-token head takes off a position holding the same key or value as the
 * query: it never reads itself as its own predecessor (its positional score at distance 0
 * equals the one at distance 2), even when the position before it was pruned from a cache.
 */
const SELF_PENALTY = 1000;
/** Attention logit of the counting head on every value token; every other token scores 0. */
const COUNT_LOGIT = 30;
/** Attention logit of the induction head on the matching position, at a typical norm. */
const MATCH_LOGIT = 40;
/** lm_head logit of a recalled value or key at a typical norm; every other token scores ≈ 0. */
const ANSWER_LOGIT = 20;
/** Answer magnitude per unit of tally at the aggregate question. */
const AGGREGATE_GAIN = 4;
/** Gate slope of layer 1's MLP: its units open only at the aggregate question token. */
const GATE = 5;
/** The constant every value vector carries (o_proj ignores it), so ‖v‖ tells little. */
const VALUE_BIAS = 3;

/**
 * Constructed weights for associative recall, multi-token copying, chained lookups and
 * counting, named and laid out (`[in, out]`) like every other built model. See
 * RECALL_LAYOUT for the residual subspaces; every head dimension written here is in
 * RECALL_LAYOUT's terms.
 *
 * Every embedding is one identity dimension plus `constant`, so it has norm √2 and the
 * first RMSNorm scales it by s0 = √(hidden/2). Later norms vary a little with what layer 1
 * wrote; the gains below assume the typical s = √(hidden/3), and each mechanism keeps a wide
 * margin over that variation.
 *
 * - Layer 1, head 0, previous token: q and k read `constant` into the fast RoPE pairs, k
 *   pre-turned by one position, so q·k ∝ Σ cos((Δ − 1)θ), largest at distance Δ = 1; q and
 *   k also read `key` and `value` into the still pairs with opposite signs, so a key or value
 *   never picks a position holding itself (nor itself). v reads `key` and `value`, o writes
 *   `previous`: each token learns which key or value preceded it.
 * - Layer 1, head 1, counting: q reads `constant`, k reads every `value` dimension, both into
 *   one still dimension, so every query attends evenly to the value tokens before it; v reads
 *   `value`, o writes `tally` (the share of each value among them).
 * - Layer 1 MLP: units j = 0..V−1 gate `tally_j` into `answer_j`; the gate reads `aggregate`
 *   minus half of `constant`, so it is open (≈ +20) at the aggregate question and shut
 *   (silu(−20) ≈ 0) everywhere else.
 * - Layer 2, head 0, induction: q reads the current token (`key` or `value`), k reads
 *   `previous`, both into the still RoPE pairs, so the query matches the position right after
 *   the same token, wherever it is. v reads the token there (`value` or `key`), o writes
 *   `answer` or `answerKey`. A key is answered with the token after it; a value with the one
 *   after it, so multi-token values and chains of keys come out one step at a time.
 * - Layer 2, head 1 and MLP: idle (zero output), as many heads of a real model are.
 * - lm_head maps `answer` dimension t to value token t and `answerKey` t to key token t.
 *
 * Every head's keys also carry a constant component where its queries are zero, and every
 * value vector a constant component that o_proj drops: attention is unchanged, but key norms
 * and value norms no longer single out the positions that matter, as in a trained model.
 */
export function recallWeights(config: LlamaConfig, ids: RecallTokenIds): Map<string, Weight> {
  const h = config.hidden_size;
  const headDim = config.head_dim;
  const heads = config.num_attention_heads;
  const half = headDim / 2;
  const ffn = config.intermediate_size;
  const { residual, keys: K, values: V } = RECALL_LAYOUT;
  const s0 = Math.sqrt(h / 2);
  const s = Math.sqrt(h / 3);
  const weights = new Map<string, Weight>();
  const tensor = (name: string, rows: number, cols: number) => {
    const values = new Float32Array(rows * cols);
    weights.set(name, { dims: [rows, cols], values });
    return (row: number, col: number, value: number) => {
      values[row * cols + col] = value;
    };
  };
  const ones = (name: string) =>
    weights.set(name, { dims: [h], values: new Float32Array(h).fill(1) });

  const embed = tensor('model.embed_tokens.weight', config.vocab_size, h);
  for (let token = 0; token < config.vocab_size; token++) {
    embed(token, residual.constant, 1);
    embed(token, residual.other, 1);
  }
  const identity = (tokenIds: readonly number[], offset: number) => {
    for (const [i, token] of tokenIds.entries()) {
      embed(token, residual.other, 0);
      embed(token, offset + i, 1);
    }
  };
  identity(ids.keys, residual.key);
  identity(ids.values, residual.value);
  identity([ids.aggregate], residual.aggregate);

  // The graph turns keys by float32 angles; rounding the frequency the same way keeps Δ = 1 exact.
  const inv = (pair: number) => Math.fround(config.rope_theta ** ((-2 * pair) / headDim));
  // s0²·a²/√headDim per pair, summed over the pairs, is the logit at Δ = 1.
  const a =
    Math.sqrt((PREVIOUS_TOKEN_LOGIT / RECALL_LAYOUT.positionPairs) * Math.sqrt(headDim)) / s0;
  const c = Math.sqrt(COUNT_LOGIT * Math.sqrt(headDim)) / s0;
  const selfGain = Math.sqrt(SELF_PENALTY * Math.sqrt(headDim)) / s0;
  const b = Math.sqrt(MATCH_LOGIT * Math.sqrt(headDim)) / s;

  for (let layer = 0; layer < 2; layer++) {
    const p = `model.layers.${layer}`;
    ones(`${p}.input_layernorm.weight`);
    const qProj = tensor(`${p}.self_attn.q_proj.weight`, h, heads * headDim);
    const kProj = tensor(`${p}.self_attn.k_proj.weight`, h, heads * headDim);
    const vProj = tensor(`${p}.self_attn.v_proj.weight`, h, heads * headDim);
    const oProj = tensor(`${p}.self_attn.o_proj.weight`, heads * headDim, h);
    // Per-head views: column (or o_proj row) d of head `head`.
    const q = (head: number) => (row: number, d: number, x: number) =>
      qProj(row, head * headDim + d, x);
    const k = (head: number) => (row: number, d: number, x: number) =>
      kProj(row, head * headDim + d, x);
    const v = (head: number) => (row: number, d: number, x: number) =>
      vProj(row, head * headDim + d, x);
    const o = (head: number) => (d: number, col: number, x: number) =>
      oProj(head * headDim + d, col, x);
    const scale = layer === 0 ? s0 : s;
    for (let head = 0; head < heads; head++) {
      v(head)(residual.constant, RECALL_VALUE_BIAS_DIM, VALUE_BIAS / scale);
    }
    if (layer === 0) {
      const [previous, counting] = [0, 1];
      for (let pair = 0; pair < RECALL_LAYOUT.positionPairs; pair++) {
        const theta = inv(pair);
        q(previous)(residual.constant, pair, a);
        k(previous)(residual.constant, pair, a * Math.cos(theta));
        k(previous)(residual.constant, pair + half, a * Math.sin(theta));
      }
      for (let token = 0; token < RECALL_MATCH_TOKENS; token++) {
        const identityRow = token < K ? residual.key + token : residual.value + (token - K);
        q(previous)(identityRow, inductionMatchDim(token), -selfGain);
        k(previous)(identityRow, inductionMatchDim(token), selfGain);
      }
      for (let key = 0; key < K; key++) {
        v(previous)(residual.key + key, key, 1 / s0);
        o(previous)(key, residual.previous + key, 1);
      }
      for (let value = 0; value < V; value++) {
        v(previous)(residual.value + value, K + value, 1 / s0);
        o(previous)(K + value, residual.previous + K + value, 1);
      }
      q(counting)(residual.constant, RECALL_COUNT_DIM, c);
      k(counting)(residual.constant, RECALL_KEY_BIAS_DIM, c);
      for (let value = 0; value < V; value++) {
        k(counting)(residual.value + value, RECALL_COUNT_DIM, c);
        v(counting)(residual.value + value, value, 1 / s0);
        o(counting)(value, residual.tally + value, 1);
      }
    } else {
      const [induction, idle] = [0, 1];
      for (let token = 0; token < RECALL_MATCH_TOKENS; token++) {
        const identityRow = token < K ? residual.key + token : residual.value + (token - K);
        q(induction)(identityRow, inductionMatchDim(token), b);
        k(induction)(residual.previous + token, inductionMatchDim(token), b);
      }
      k(induction)(residual.constant, RECALL_KEY_BIAS_DIM, b);
      for (let value = 0; value < V; value++) {
        v(induction)(residual.value + value, value, 1 / s);
        o(induction)(value, residual.answer + value, 1);
      }
      for (let key = 0; key < K; key++) {
        v(induction)(residual.key + key, V + key, 1 / s);
        o(induction)(V + key, residual.answerKey + key, 1);
      }
      k(idle)(residual.constant, RECALL_KEY_BIAS_DIM, b);
    }
    ones(`${p}.post_attention_layernorm.weight`);
    const gate = tensor(`${p}.mlp.gate_proj.weight`, h, ffn);
    const up = tensor(`${p}.mlp.up_proj.weight`, h, ffn);
    const down = tensor(`${p}.mlp.down_proj.weight`, ffn, h);
    if (layer === 0) {
      // At the question the norm scales the tally by s_m ≈ √(hidden/2), gate and up alike.
      const downGain = (4 * AGGREGATE_GAIN) / (GATE * h);
      for (let unit = 0; unit < RECALL_LAYOUT.mlpUnits; unit++) {
        gate(residual.aggregate, unit, GATE);
        gate(residual.constant, unit, -GATE / 2);
        up(residual.tally + unit, unit, 1);
        down(unit, residual.answer + unit, downGain);
      }
    }
  }
  ones('model.norm.weight');
  const head = tensor('lm_head.weight', h, config.vocab_size);
  for (const [value, token] of ids.values.entries()) {
    head(residual.answer + value, token, ANSWER_LOGIT / s);
  }
  for (const [key, token] of ids.keys.entries()) {
    head(residual.answerKey + key, token, ANSWER_LOGIT / s);
  }
  return weights;
}

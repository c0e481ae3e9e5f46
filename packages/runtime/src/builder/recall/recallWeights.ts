import type { LlamaConfig } from '../LlamaConfig';
import type { Weight } from '../llamaWeights';
import { inductionMatchDim, RECALL_LAYOUT } from './recallLayout';
import type { RecallTokenIds } from './recallTokenizer';

/**
 * Attention logit of the previous-token head at offset 1. Its positional score is a sum of
 * cosines that is at least 10 % lower at any other offset up to 4096 (checked in tests),
 * so the nearest rival trails by ≥ 30 nats and the head is one-hot in float32.
 */
const PREVIOUS_TOKEN_LOGIT = 300;
/** Attention logit of the induction head on the matching position; all others score 0. */
const MATCH_LOGIT = 40;
/** lm_head logit of the recalled value; every other token scores about 0. */
const ANSWER_LOGIT = 20;

/**
 * Constructed weights for associative recall, named and laid out (`[in, out]`) like every
 * other built model. See RECALL_LAYOUT for the residual subspaces.
 *
 * Every embedding is one identity dimension plus `constant`, so it has norm √2 and the
 * first RMSNorm scales it by r0 = √(hidden/2). Layer 1 writes a unit one-hot into
 * `previousKey`, so a token that follows a key has norm √3 (scale r1 = √(hidden/3)). The
 * projection gains below undo those scales so that the logits are the constants above.
 *
 * - Layer 1, previous-token head: q and k both read `constant`. On each of the fast RoPE
 *   pairs q = a·(1, 0) and k = a·(cos θ, sin θ), so after rotation q·k ∝ Σ cos((Δ − 1)θ)
 *   with Δ the query-key distance: largest at Δ = 1. v reads `key`, o writes `previousKey`.
 * - Layer 2, induction head: q reads `key` (the key being asked about), k reads
 *   `previousKey` (the key just before this position), both into the still RoPE pairs, so
 *   the query matches the position right after its key, wherever it is. v reads `value`
 *   (the token at that position), o writes `answer`.
 * - MLPs are zero; lm_head maps `answer` dimension t to value token t.
 */
export function recallWeights(config: LlamaConfig, ids: RecallTokenIds): Map<string, Weight> {
  const h = config.hidden_size;
  const headDim = config.head_dim;
  const half = headDim / 2;
  const ffn = config.intermediate_size;
  const { residual } = RECALL_LAYOUT;
  const r0 = Math.sqrt(h / 2);
  const r1 = Math.sqrt(h / 3);
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

  // The graph turns keys by float32 angles; rounding the frequency the same way keeps Δ = 1 exact.
  const inv = (pair: number) => Math.fround(config.rope_theta ** ((-2 * pair) / headDim));
  // r0²·a²/√headDim per pair, summed over the pairs, is the logit at Δ = 1.
  const a =
    Math.sqrt((PREVIOUS_TOKEN_LOGIT / RECALL_LAYOUT.positionPairs) * Math.sqrt(headDim)) / r0;
  const b = Math.sqrt((MATCH_LOGIT * Math.sqrt(headDim)) / (r0 * r1));

  for (let layer = 0; layer < 2; layer++) {
    const p = `model.layers.${layer}`;
    ones(`${p}.input_layernorm.weight`);
    const q = tensor(`${p}.self_attn.q_proj.weight`, h, headDim);
    const k = tensor(`${p}.self_attn.k_proj.weight`, h, headDim);
    const v = tensor(`${p}.self_attn.v_proj.weight`, h, headDim);
    const o = tensor(`${p}.self_attn.o_proj.weight`, headDim, h);
    if (layer === 0) {
      for (let pair = 0; pair < RECALL_LAYOUT.positionPairs; pair++) {
        const theta = inv(pair);
        q(residual.constant, pair, a);
        k(residual.constant, pair, a * Math.cos(theta));
        k(residual.constant, pair + half, a * Math.sin(theta));
      }
      for (let key = 0; key < RECALL_LAYOUT.keys; key++) {
        v(residual.key + key, key, 1 / r0);
        o(key, residual.previousKey + key, 1);
      }
    } else {
      for (let key = 0; key < RECALL_LAYOUT.keys; key++) {
        q(residual.key + key, inductionMatchDim(key), b);
        k(residual.previousKey + key, inductionMatchDim(key), b);
      }
      for (let value = 0; value < RECALL_LAYOUT.values; value++) {
        v(residual.value + value, value, 1 / r1);
        o(value, residual.answer + value, 1);
      }
    }
    ones(`${p}.post_attention_layernorm.weight`);
    tensor(`${p}.mlp.gate_proj.weight`, h, ffn);
    tensor(`${p}.mlp.up_proj.weight`, h, ffn);
    tensor(`${p}.mlp.down_proj.weight`, ffn, h);
  }
  ones('model.norm.weight');
  // At the query the residual holds the key, the constant and the answer: norm √3, scale r1.
  const head = tensor('lm_head.weight', h, config.vocab_size);
  for (const [value, token] of ids.values.entries()) {
    head(residual.answer + value, token, ANSWER_LOGIT / r1);
  }
  return weights;
}

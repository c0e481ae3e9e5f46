/**
 * The test oracle: a plain, readable Llama forward pass written from the model's equations
 * (embedding, RMSNorm, rotate-half RoPE, grouped-query attention with an index-based causal
 * and padding mask, SwiGLU MLP, final norm, lm_head), in double precision over one batch
 * row at a time. Weights are read back from the built ONNX file, in the `[in, out]` layout.
 */
import type { LlamaConfig } from '@signal/runtime';

// Bound once: jest's vm sandbox makes every global lookup in a hot loop slow.
const { cos, exp, floor, fround, max, sin, sqrt } = Math;

export type Vector = number[];
/** keys/values per kv head, per position: [kvHeads][positions][headDim]. */
export type HeadSeq = Vector[][];

export interface LayerCache {
  keys: HeadSeq;
  values: HeadSeq;
}

export interface RowInput {
  /** Token ids, or precomputed embeddings (one vector per position). */
  tokens: number[] | Vector[];
  positions: number[];
  /** Covers past + new positions. */
  mask: number[];
  past: LayerCache[];
}

export interface RowOutput {
  logits: Vector[];
  present: LayerCache[];
  /** Post-RoPE queries [heads][seq][headDim] per layer. */
  queries: HeadSeq[];
}

export type WeightTable = (name: string) => Float32Array;

function matvec(x: Vector, w: Float32Array, outDim: number): Vector {
  const y = new Array<number>(outDim).fill(0);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const row = i * outDim;
    for (let o = 0; o < outDim; o++) y[o]! += xi * w[row + o]!;
  }
  return y;
}

function rmsNorm(x: Vector, weight: Float32Array, eps: number): Vector {
  const meanSquare = x.reduce((sum, v) => sum + v * v, 0) / x.length;
  const scale = 1 / sqrt(meanSquare + eps);
  return x.map((v, i) => weight[i]! * v * scale);
}

function rope(x: Vector, position: number, theta: number): Vector {
  const half = x.length / 2;
  const out = new Array<number>(x.length);
  for (let i = 0; i < half; i++) {
    // HF computes the angle in float32; round the same way so large positions agree.
    const angle = fround(position * fround(theta ** ((-2 * i) / x.length)));
    const c = cos(angle);
    const s = sin(angle);
    out[i] = x[i]! * c - x[i + half]! * s;
    out[i + half] = x[i + half]! * c + x[i]! * s;
  }
  return out;
}

const silu = (v: number) => v / (1 + exp(-v));
const add = (a: Vector, b: Vector) => a.map((v, i) => v + b[i]!);
const heads = (x: Vector, count: number, dim: number) =>
  Array.from({ length: count }, (_, h) => x.slice(h * dim, (h + 1) * dim));

export function referenceForward(
  config: LlamaConfig,
  weight: WeightTable,
  input: RowInput,
): RowOutput {
  const { hidden_size: hidden, head_dim: headDim, num_attention_heads: nHeads } = config;
  const nKv = config.num_key_value_heads;
  const groups = nHeads / nKv;
  const eps = config.rms_norm_eps;
  const embed = () => weight('model.embed_tokens.weight');
  let h: Vector[] = input.tokens.map((t) =>
    typeof t === 'number' ? Array.from(embed().subarray(t * hidden, (t + 1) * hidden)) : [...t],
  );
  const pastLength = input.past[0]?.keys[0]?.length ?? 0;
  const present: LayerCache[] = [];
  const queries: HeadSeq[] = [];

  for (let layer = 0; layer < config.num_hidden_layers; layer++) {
    const w = (name: string) => weight(`model.layers.${layer}.${name}`);
    const normed = h.map((x) => rmsNorm(x, w('input_layernorm.weight'), eps));
    const q = normed.map((x, s) =>
      heads(matvec(x, w('self_attn.q_proj.weight'), nHeads * headDim), nHeads, headDim).map((v) =>
        rope(v, input.positions[s]!, config.rope_theta),
      ),
    );
    const k = normed.map((x, s) =>
      heads(matvec(x, w('self_attn.k_proj.weight'), nKv * headDim), nKv, headDim).map((v) =>
        rope(v, input.positions[s]!, config.rope_theta),
      ),
    );
    const v = normed.map((x) =>
      heads(matvec(x, w('self_attn.v_proj.weight'), nKv * headDim), nKv, headDim),
    );
    const past = input.past[layer];
    const cache: LayerCache = {
      keys: Array.from({ length: nKv }, (_, kh) => [
        ...(past?.keys[kh] ?? []),
        ...k.map((pos) => pos[kh]!),
      ]),
      values: Array.from({ length: nKv }, (_, kh) => [
        ...(past?.values[kh] ?? []),
        ...v.map((pos) => pos[kh]!),
      ]),
    };
    present.push(cache);
    queries.push(Array.from({ length: nHeads }, (_, head) => q.map((pos) => pos[head]!)));

    const attended = q.map((qPos, i) => {
      const context: Vector = [];
      for (let head = 0; head < nHeads; head++) {
        const kvHead = floor(head / groups);
        const keys = cache.keys[kvHead]!;
        const allowed = keys.map((_, j) => input.mask[j] === 1 && j <= pastLength + i);
        const scores = keys.map((key, j) =>
          allowed[j]
            ? key.reduce((s, kv, d) => s + kv * qPos[head]![d]!, 0) / sqrt(headDim)
            : -Infinity,
        );
        const top = max(...scores);
        const exps = scores.map((s) => (Number.isFinite(s) ? exp(s - top) : 0));
        const total = exps.reduce((a, b) => a + b, 0) || 1;
        const out = new Array<number>(headDim).fill(0);
        cache.values[kvHead]!.forEach((value, j) => {
          for (let d = 0; d < headDim; d++) out[d]! += (exps[j]! / total) * value[d]!;
        });
        context.push(...out);
      }
      return matvec(context, w('self_attn.o_proj.weight'), hidden);
    });
    h = h.map((x, s) => add(x, attended[s]!));

    const mlpIn = h.map((x) => rmsNorm(x, w('post_attention_layernorm.weight'), eps));
    h = h.map((x, s) => {
      const gate = matvec(mlpIn[s]!, w('mlp.gate_proj.weight'), config.intermediate_size);
      const up = matvec(mlpIn[s]!, w('mlp.up_proj.weight'), config.intermediate_size);
      const product = gate.map((g, i) => silu(g) * up[i]!);
      return add(x, matvec(product, w('mlp.down_proj.weight'), hidden));
    });
  }

  const final = h.map((x) => rmsNorm(x, weight('model.norm.weight'), eps));
  const lmHead = config.tie_word_embeddings
    ? transpose(embed(), config.vocab_size, hidden)
    : weight('lm_head.weight');
  return {
    logits: final.map((x) => matvec(x, lmHead, config.vocab_size)),
    present,
    queries,
  };
}

/** `[rows, cols]` → `[cols, rows]`, for the tied lm_head. */
function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c]!;
  return out;
}

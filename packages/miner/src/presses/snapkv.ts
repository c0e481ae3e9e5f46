import type { HeadScores } from './HeadScores';
import { PressInputError } from './PressInputError';
import { assertTensor3, type Tensor3 } from './Tensor3';

export interface SnapKvOptions {
  /** Observation window: the context's last `window` positions (default 64). */
  window?: number;
  /** Odd average-pooling kernel along positions (default 5, as in SnapKV). */
  kernel?: number;
}

export const DEFAULT_SNAPKV_WINDOW = 64;
export const DEFAULT_SNAPKV_KERNEL = 5;

/** Window queries scored together against each key. */
const BLOCK = 4;

/**
 * The window actually used for a context of `length` tokens: the requested window clipped to
 * `length − 1`, so at least one position is left to score (a window covering the whole
 * context would rank nothing). A one-token context uses a window of 1.
 */
export function snapKvWindow(length: number, window = DEFAULT_SNAPKV_WINDOW): number {
  return Math.max(1, Math.min(window, length - 1));
}

/**
 * SnapKV press (arXiv 2404.14469): how much the observation window attends to each earlier
 * position.
 *
 * For each query head, every window query attends causally (scaled dot product, softmax over
 * the keys it can see) and its weights on the positions before the window are summed; the sum
 * is divided by the window size and by the heads of the KV group, then average-pooled along
 * positions (zero padding counted, as `avg_pool1d` does). Window positions score above every
 * pooled score so they are always kept. `keys` and `queries` must both be post-RoPE, as a
 * cache's keys are; `queries` are the last rows of the context (at least the window), so the
runtime's per-position query outputs `[heads, len, head_dim]` can be passed whole.
 */
export function snapKvScores(
  keys: Tensor3,
  queries: Tensor3,
  options: SnapKvOptions = {},
): HeadScores {
  assertTensor3(keys, 'keys');
  assertTensor3(queries, 'queries');
  const [kvHeads, length, headDim] = keys.shape;
  const [heads, queryRows, queryDim] = queries.shape;
  const requested = options.window ?? DEFAULT_SNAPKV_WINDOW;
  const kernel = options.kernel ?? DEFAULT_SNAPKV_KERNEL;
  if (!Number.isInteger(requested) || requested < 1) {
    throw new PressInputError(`snapkv window must be a positive integer, got ${requested}.`);
  }
  if (!Number.isInteger(kernel) || kernel < 1 || kernel % 2 === 0) {
    throw new PressInputError(`snapkv kernel must be a positive odd integer, got ${kernel}.`);
  }
  if (queryDim !== headDim) {
    throw new PressInputError(`queries have head_dim ${queryDim} but keys have ${headDim}.`);
  }
  if (heads % kvHeads !== 0) {
    throw new PressInputError(
      `queries have ${heads} heads, not a multiple of the ${kvHeads} KV heads.`,
      'Grouped-query attention needs heads = kv_heads × group.',
    );
  }
  const window = snapKvWindow(length, requested);
  if (queryRows < window || queryRows > length) {
    throw new PressInputError(
      `queries cover ${queryRows} positions; the window needs between ${window} and ${length}.`,
    );
  }
  if (length === 1) return { heads: kvHeads, length, data: new Float32Array(kvHeads) };

  const group = heads / kvHeads;
  const prefix = length - window;
  const scale = 1 / Math.sqrt(headDim);
  const k = keys.data;
  const q = queries.data;
  // One logits row per window query of a block; BLOCK rows share every key load.
  const logits = new Float64Array(BLOCK * length);
  const attendedAll = new Float64Array(kvHeads * length);

  for (let kvHead = 0; kvHead < kvHeads; kvHead++) {
    const attended = attendedAll.subarray(kvHead * length, kvHead * length + prefix);
    const keyBase = kvHead * length * headDim;
    for (let g = 0; g < group; g++) {
      const head = kvHead * group + g;
      for (let w0 = 0; w0 < window; w0 += BLOCK) {
        const rows = Math.min(BLOCK, window - w0);
        const qBase = (head * queryRows + queryRows - window + w0) * headDim;
        // Causal: row r sees keys [0, prefix + w0 + r]; the block's last row sees the most.
        const widest = prefix + w0 + rows;
        if (rows === BLOCK) dotRows4(q, qBase, k, keyBase, headDim, widest, logits, length);
        else {
          for (let r = 0; r < rows; r++) {
            for (let j = 0; j < widest; j++) {
              logits[r * length + j] = dot(
                q,
                qBase + r * headDim,
                k,
                keyBase + j * headDim,
                headDim,
              );
            }
          }
        }
        for (let r = 0; r < rows; r++) {
          const row = r * length;
          const visible = prefix + w0 + r + 1;
          let max = Number.NEGATIVE_INFINITY;
          for (let j = row; j < row + visible; j++) {
            const logit = logits[j]! * scale;
            logits[j] = logit;
            if (logit > max) max = logit;
          }
          let sum = 0;
          for (let j = row; j < row + visible; j++) {
            const e = Math.exp(logits[j]! - max);
            logits[j] = e;
            sum += e;
          }
          for (let j = 0; j < prefix; j++) attended[j]! += logits[row + j]! / sum;
        }
      }
    }
  }
  return snapKvScoresFromAttention(attendedAll, { kvHeads, length, window, group, kernel });
}

/** The geometry `snapKvScoresFromAttention` needs to finish the scores. */
export interface SnapKvAttentionShape {
  readonly kvHeads: number;
  readonly length: number;
  /** The window actually used (see `snapKvWindow`). */
  readonly window: number;
  /** Query heads per KV head. */
  readonly group: number;
  readonly kernel: number;
}

/**
 * SnapKV's second half, shared by the TypeScript scorer above and by callers that compute the
 * window's attention elsewhere (e.g. in ONNX Runtime): `attended[kvHead · length + j]` is the
 * softmax weight the window's queries of that KV group put on position j, summed over window
 * rows and grouped heads. Positions before the window are normalised and average-pooled
 * (zero padding counted, as `avg_pool1d` does); the window itself scores above all of them.
 */
export function snapKvScoresFromAttention(
  attended: Float32Array | Float64Array,
  shape: SnapKvAttentionShape,
): HeadScores {
  const { kvHeads, length, window, group, kernel } = shape;
  if (attended.length !== kvHeads * length) {
    throw new PressInputError(
      `snapkv attention holds ${attended.length} values, expected ${kvHeads} × ${length}.`,
    );
  }
  const out = new Float32Array(kvHeads * length);
  if (length === 1) return { heads: kvHeads, length, data: out };
  const prefix = length - window;
  let best = Number.NEGATIVE_INFINITY;
  let sawNaN = false;
  const norm = 1 / (window * group * kernel);
  const radius = (kernel - 1) / 2;
  for (let kvHead = 0; kvHead < kvHeads; kvHead++) {
    const base = kvHead * length;
    // Sliding sum over [j − radius, j + radius] ∩ [0, prefix): the pool with zero padding.
    let running = 0;
    for (let j = 0; j < Math.min(radius, prefix); j++) running += attended[base + j]!;
    for (let j = 0; j < prefix; j++) {
      const enter = j + radius;
      const leave = j - radius - 1;
      if (enter < prefix) running += attended[base + enter]!;
      if (leave >= 0) running -= attended[base + leave]!;
      const score = running * norm;
      out[base + j] = score;
      if (score > best) best = score;
      else if (Number.isNaN(score)) sawNaN = true;
    }
  }
  if (sawNaN) {
    throw new PressInputError(
      'snapkv produced NaN scores.',
      'The keys or queries hold NaN or infinite values.',
    );
  }
  const windowScore = best + 1;
  for (let kvHead = 0; kvHead < kvHeads; kvHead++) {
    out.fill(windowScore, kvHead * length + prefix, (kvHead + 1) * length);
  }
  return { heads: kvHeads, length, data: out };
}

/**
 * `a[i..i+n) · b[j..j+n)`, four lanes at a time: independent accumulators let V8 overlap the
 * multiply-adds, about 30 % faster than the plain loop on this, the press's hot path.
 */
function dot(a: Float32Array, i: number, b: Float32Array, j: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let d = 0;
  for (; d + 3 < n; d += 4) {
    s0 += a[i + d]! * b[j + d]!;
    s1 += a[i + d + 1]! * b[j + d + 1]!;
    s2 += a[i + d + 2]! * b[j + d + 2]!;
    s3 += a[i + d + 3]! * b[j + d + 3]!;
  }
  for (; d < n; d++) s0 += a[i + d]! * b[j + d]!;
  return s0 + s1 + s2 + s3;
}

/**
 * Dot products of four consecutive query rows (from `qBase`) with keys [0, count), into
 * `out[r · stride + j]`: each key value is loaded once for four products, about a third less
 * CPU than four separate passes.
 */
function dotRows4(
  q: Float32Array,
  qBase: number,
  k: Float32Array,
  keyBase: number,
  dim: number,
  count: number,
  out: Float64Array,
  stride: number,
): void {
  const q0 = qBase;
  const q1 = q0 + dim;
  const q2 = q1 + dim;
  const q3 = q2 + dim;
  for (let j = 0; j < count; j++) {
    const kb = keyBase + j * dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let d = 0; d < dim; d++) {
      const kv = k[kb + d]!;
      s0 += q[q0 + d]! * kv;
      s1 += q[q1 + d]! * kv;
      s2 += q[q2 + d]! * kv;
      s3 += q[q3 + d]! * kv;
    }
    out[j] = s0;
    out[stride + j] = s1;
    out[2 * stride + j] = s2;
    out[3 * stride + j] = s3;
  }
}

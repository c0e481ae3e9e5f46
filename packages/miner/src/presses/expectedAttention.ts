import type { HeadScores } from './HeadScores';
import { PressInputError } from './PressInputError';
import { DEFAULT_SINK_TOKENS } from './streamingLlm';
import { assertTensor3, type Tensor3 } from './Tensor3';

export interface ExpectedAttentionOptions {
  /** The model's RoPE base (`rope_theta` in config.json). Required: a wrong base is a wrong score. */
  ropeTheta: number;
  /** Leading dims that RoPE rotates (rotate-half pairs); the rest pass through (default head_dim). */
  rotaryDim?: number;
  /** Future positions the expected rotation averages over (default 512). */
  futurePositions?: number;
  /** Leading tokens excluded from the statistics and always kept (default 4). */
  sinkTokens?: number;
  /** Add the query covariance term (default true). */
  useCovariance?: boolean;
  /** Scale scores by ‖v‖₂ (default true). */
  useValueNorm?: boolean;
  /** Added to scores before the value-norm scaling (default 0). */
  epsilon?: number;
}

export const DEFAULT_FUTURE_POSITIONS = 512;

/**
 * Expected-attention press (kvpress `ExpectedAttentionPress`): the attention future queries
 * are expected to pay each key, from a Gaussian model of the queries.
 *
 * Per query head: the mean μ and covariance Σ of the pre-RoPE queries (sink positions left
 * out), both rotated by the RoPE rotation averaged over the next `futurePositions` positions;
 * then E[exp(q·k/√d)] ∝ exp(μ·k/√d + kᵀΣk/2d), softmaxed over the non-sink keys, averaged over
 * the heads of each KV group and scaled by ‖v‖. Sink positions score above everything.
 *
 * `keys`/`values` are the cache's `[kv_heads, len, head_dim]`; `preRopeQueries` are
 * `[heads, rows, head_dim]` for the context's last `rows` positions, before RoPE.
 */
export function expectedAttentionScores(
  keys: Tensor3,
  values: Tensor3,
  preRopeQueries: Tensor3,
  options: ExpectedAttentionOptions,
): HeadScores {
  assertTensor3(keys, 'keys');
  assertTensor3(values, 'values');
  assertTensor3(preRopeQueries, 'preRopeQueries');
  const [kvHeads, length, headDim] = keys.shape;
  const [heads, rows, queryDim] = preRopeQueries.shape;
  if (values.shape.some((dim, i) => dim !== keys.shape[i])) {
    throw new PressInputError(
      `values have shape [${values.shape.join(', ')}], keys [${keys.shape.join(', ')}].`,
    );
  }
  if (queryDim !== headDim)
    throw new PressInputError(`queries have head_dim ${queryDim} but keys have ${headDim}.`);
  if (heads % kvHeads !== 0) {
    throw new PressInputError(
      `queries have ${heads} heads, not a multiple of the ${kvHeads} KV heads.`,
    );
  }
  if (rows > length)
    throw new PressInputError(`queries cover ${rows} positions, more than the ${length} cached.`);
  const settings = resolve(options, headDim);
  const { sinkTokens } = settings;
  const firstRow = Math.max(0, sinkTokens - (length - rows));
  if (sinkTokens >= length || firstRow >= rows) {
    throw new PressInputError(
      `expected_attention needs positions beyond the ${sinkTokens} sink tokens.`,
      `The context has ${length} positions and the queries cover the last ${rows}.`,
    );
  }

  const rotation = averageRotation(length, settings);
  const group = heads / kvHeads;
  const scored = length - sinkTokens;
  const out = new Float32Array(kvHeads * length);
  const mean = new Float64Array(headDim);
  const cov = new Float64Array(headDim * headDim);
  const logits = new Float64Array(scored);
  const groupSum = new Float64Array(scored);
  let best = Number.NEGATIVE_INFINITY;

  for (let kvHead = 0; kvHead < kvHeads; kvHead++) {
    groupSum.fill(0);
    const keyBase = kvHead * length * headDim;
    for (let g = 0; g < group; g++) {
      const head = kvHead * group + g;
      queryMoments(
        preRopeQueries.data,
        (head * rows + firstRow) * headDim,
        rows - firstRow,
        headDim,
        mean,
        cov,
        settings.useCovariance,
      );
      rotateMoments(mean, cov, rotation, settings.useCovariance);
      gaussianLogits(
        keys.data,
        keyBase + sinkTokens * headDim,
        scored,
        headDim,
        mean,
        settings.useCovariance ? cov : null,
        logits,
      );
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < scored; j++) if (logits[j]! > max) max = logits[j]!;
      let sum = 0;
      for (let j = 0; j < scored; j++) {
        logits[j] = Math.exp(logits[j]! - max);
        sum += logits[j]!;
      }
      for (let j = 0; j < scored; j++) groupSum[j]! += logits[j]! / sum;
    }
    for (let j = 0; j < scored; j++) {
      let score = groupSum[j]! / group;
      if (settings.useValueNorm) {
        const v = kvHead * length * headDim + (sinkTokens + j) * headDim;
        let norm = 0;
        for (let d = 0; d < headDim; d++) norm += values.data[v + d]! ** 2;
        score = (score + settings.epsilon) * Math.sqrt(norm);
      }
      if (Number.isNaN(score)) {
        throw new PressInputError(
          'expected_attention produced NaN scores.',
          'The keys, values or queries hold NaN or infinite values.',
        );
      }
      out[kvHead * length + sinkTokens + j] = score;
      if (score > best) best = score;
    }
  }
  for (let kvHead = 0; kvHead < kvHeads; kvHead++) {
    out.fill(best + 1, kvHead * length, kvHead * length + sinkTokens);
  }
  return { heads: kvHeads, length, data: out };
}

type Settings = Required<ExpectedAttentionOptions>;

function resolve(options: ExpectedAttentionOptions, headDim: number): Settings {
  const settings: Settings = {
    ropeTheta: options?.ropeTheta,
    rotaryDim: options?.rotaryDim ?? headDim,
    futurePositions: options?.futurePositions ?? DEFAULT_FUTURE_POSITIONS,
    sinkTokens: options?.sinkTokens ?? DEFAULT_SINK_TOKENS,
    useCovariance: options?.useCovariance ?? true,
    useValueNorm: options?.useValueNorm ?? true,
    epsilon: options?.epsilon ?? 0,
  };
  if (
    typeof settings.ropeTheta !== 'number' ||
    !Number.isFinite(settings.ropeTheta) ||
    settings.ropeTheta <= 1
  ) {
    throw new PressInputError(
      `expected_attention needs the model's ropeTheta, got ${String(settings.ropeTheta)}.`,
      'Pass rope_theta from the model config (e.g. 10000 for Llama 2, 1000000 for Mistral v0.2).',
    );
  }
  const { rotaryDim, futurePositions, sinkTokens, epsilon } = settings;
  if (!Number.isInteger(rotaryDim) || rotaryDim < 2 || rotaryDim % 2 !== 0 || rotaryDim > headDim) {
    throw new PressInputError(
      `rotaryDim must be an even integer in [2, ${headDim}], got ${rotaryDim}.`,
    );
  }
  if (!Number.isInteger(futurePositions) || futurePositions < 1) {
    throw new PressInputError(
      `futurePositions must be a positive integer, got ${futurePositions}.`,
    );
  }
  if (!Number.isInteger(sinkTokens) || sinkTokens < 0) {
    throw new PressInputError(`sinkTokens must be a non-negative integer, got ${sinkTokens}.`);
  }
  if (!Number.isFinite(epsilon) || epsilon < 0) {
    throw new PressInputError(`epsilon must be a finite number >= 0, got ${epsilon}.`);
  }
  return settings;
}

/**
 * The RoPE rotation averaged over positions [length, length + futurePositions): for each
 * rotate-half pair (i, i + rotaryDim/2), the mean cosine and sine of its angle.
 */
function averageRotation(
  length: number,
  settings: Settings,
): { cos: Float64Array; sin: Float64Array; half: number } {
  const half = settings.rotaryDim / 2;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let i = 0; i < half; i++) {
    const frequency = settings.ropeTheta ** (-(2 * i) / settings.rotaryDim);
    let c = 0;
    let s = 0;
    for (let p = length; p < length + settings.futurePositions; p++) {
      c += Math.cos(p * frequency);
      s += Math.sin(p * frequency);
    }
    cos[i] = c / settings.futurePositions;
    sin[i] = s / settings.futurePositions;
  }
  return { cos, sin, half };
}

/** Mean and (population) covariance of `count` rows of `dim` values starting at `base`. */
function queryMoments(
  data: Float32Array,
  base: number,
  count: number,
  dim: number,
  mean: Float64Array,
  cov: Float64Array,
  withCovariance: boolean,
): void {
  mean.fill(0);
  for (let r = 0; r < count; r++)
    for (let d = 0; d < dim; d++) mean[d]! += data[base + r * dim + d]!;
  for (let d = 0; d < dim; d++) mean[d]! /= count;
  if (!withCovariance) return;
  cov.fill(0);
  // Upper triangle only (Σ is symmetric), four centred rows per pass over it.
  const c0 = new Float64Array(dim);
  const c1 = new Float64Array(dim);
  const c2 = new Float64Array(dim);
  const c3 = new Float64Array(dim);
  const center = (row: number, into: Float64Array) => {
    for (let d = 0; d < dim; d++) into[d] = data[base + row * dim + d]! - mean[d]!;
  };
  let r = 0;
  for (; r + 3 < count; r += 4) {
    center(r, c0);
    center(r + 1, c1);
    center(r + 2, c2);
    center(r + 3, c3);
    for (let a = 0; a < dim; a++) {
      const a0 = c0[a]!;
      const a1 = c1[a]!;
      const a2 = c2[a]!;
      const a3 = c3[a]!;
      const rowBase = a * dim;
      for (let b = a; b < dim; b++)
        cov[rowBase + b]! += a0 * c0[b]! + a1 * c1[b]! + a2 * c2[b]! + a3 * c3[b]!;
    }
  }
  for (; r < count; r++) {
    center(r, c0);
    for (let a = 0; a < dim; a++) {
      const a0 = c0[a]!;
      const rowBase = a * dim;
      for (let b = a; b < dim; b++) cov[rowBase + b]! += a0 * c0[b]!;
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      const value = cov[a * dim + b]! / count;
      cov[a * dim + b] = value;
      cov[b * dim + a] = value;
    }
  }
}

/** μ ← R̄μ and Σ ← R̄ΣR̄ᵀ in place, with R̄ the averaged rotate-half rotation. */
function rotateMoments(
  mean: Float64Array,
  cov: Float64Array,
  rotation: { cos: Float64Array; sin: Float64Array; half: number },
  withCovariance: boolean,
): void {
  const dim = mean.length;
  rotateStrided(mean, 0, 1, rotation);
  if (!withCovariance) return;
  for (let column = 0; column < dim; column++) rotateStrided(cov, column, dim, rotation); // R̄Σ
  for (let row = 0; row < dim; row++) rotateStrided(cov, row * dim, 1, rotation); // (R̄Σ)R̄ᵀ
}

/** Applies R̄ to the vector x[offset + d·stride], d < dim: pairs (i, i + half) rotate, the rest stay. */
function rotateStrided(
  x: Float64Array,
  offset: number,
  stride: number,
  { cos, sin, half }: { cos: Float64Array; sin: Float64Array; half: number },
): void {
  for (let i = 0; i < half; i++) {
    const lo = offset + i * stride;
    const hi = offset + (i + half) * stride;
    const a = x[lo]!;
    const b = x[hi]!;
    x[lo] = cos[i]! * a - sin[i]! * b;
    x[hi] = sin[i]! * a + cos[i]! * b;
  }
}

/**
 * `out[j] = μ·k_j/√d + k_jᵀΣk_j/2d` for `count` keys of `dim` values from `start` (Σ skipped
 * when null). Σ is symmetric, so kᵀΣk = Σ_a k_a (Σ_aa k_a + 2 Σ_{b>a} Σ_ab k_b): half the
 * products; four keys share each pass over Σ.
 */
function gaussianLogits(
  k: Float32Array,
  start: number,
  count: number,
  dim: number,
  mean: Float64Array,
  cov: Float64Array | null,
  out: Float64Array,
): void {
  const invSqrtD = 1 / Math.sqrt(dim);
  const halfInvD = 1 / (2 * dim);
  let j = 0;
  if (cov) {
    for (; j + 3 < count; j += 4) {
      const b0 = start + j * dim;
      const b1 = b0 + dim;
      const b2 = b1 + dim;
      const b3 = b2 + dim;
      let l0 = 0;
      let l1 = 0;
      let l2 = 0;
      let l3 = 0;
      let q0 = 0;
      let q1 = 0;
      let q2 = 0;
      let q3 = 0;
      for (let a = 0; a < dim; a++) {
        const k0 = k[b0 + a]!;
        const k1 = k[b1 + a]!;
        const k2 = k[b2 + a]!;
        const k3 = k[b3 + a]!;
        const m = mean[a]!;
        l0 += m * k0;
        l1 += m * k1;
        l2 += m * k2;
        l3 += m * k3;
        const rowBase = a * dim;
        let r0 = 0;
        let r1 = 0;
        let r2 = 0;
        let r3 = 0;
        for (let b = a + 1; b < dim; b++) {
          const c = cov[rowBase + b]!;
          r0 += c * k[b0 + b]!;
          r1 += c * k[b1 + b]!;
          r2 += c * k[b2 + b]!;
          r3 += c * k[b3 + b]!;
        }
        const diag = cov[rowBase + a]!;
        q0 += k0 * (diag * k0 + 2 * r0);
        q1 += k1 * (diag * k1 + 2 * r1);
        q2 += k2 * (diag * k2 + 2 * r2);
        q3 += k3 * (diag * k3 + 2 * r3);
      }
      out[j] = l0 * invSqrtD + q0 * halfInvD;
      out[j + 1] = l1 * invSqrtD + q1 * halfInvD;
      out[j + 2] = l2 * invSqrtD + q2 * halfInvD;
      out[j + 3] = l3 * invSqrtD + q3 * halfInvD;
    }
  }
  for (; j < count; j++) {
    const base = start + j * dim;
    let linear = 0;
    let quadratic = 0;
    for (let a = 0; a < dim; a++) {
      const ka = k[base + a]!;
      linear += mean[a]! * ka;
      if (cov) {
        const rowBase = a * dim;
        let row = 0;
        for (let b = a + 1; b < dim; b++) row += cov[rowBase + b]! * k[base + b]!;
        quadratic += ka * (cov[rowBase + a]! * ka + 2 * row);
      }
    }
    out[j] = linear * invSqrtD + quadratic * halfInvD;
  }
}

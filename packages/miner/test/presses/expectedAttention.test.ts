import { expectedAttentionScores, PressInputError, runPress, type Tensor3 } from '@signal/miner';
import { randomTensor } from './helpers';

type Matrix = number[][];
const matmul = (a: Matrix, b: Matrix): Matrix =>
  a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const transpose = (a: Matrix): Matrix => a[0]!.map((_, j) => a.map((row) => row[j]!));

/**
 * The kvpress recipe with explicit matrices: R̄ as the mean of full RoPE rotation matrices over
 * the future positions, μ' = R̄μ, Σ' = R̄ΣR̄ᵀ, logits μ'·k/√d + kᵀΣ'k/2d, softmax, group mean,
 * value-norm scaling, sinks at max + 1.
 */
function reference(
  keys: Tensor3,
  values: Tensor3,
  queries: Tensor3,
  theta: number,
  future: number,
  sinks: number,
  { covariance = true, valueNorm = true } = {},
): number[][] {
  const [kvHeads, length, dim] = keys.shape;
  const [heads, rows] = queries.shape;
  const half = dim / 2;
  const rotation: Matrix = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
  for (let p = length; p < length + future; p++) {
    for (let i = 0; i < half; i++) {
      const angle = p * theta ** (-(2 * i) / dim);
      rotation[i]![i]! += Math.cos(angle) / future;
      rotation[i + half]![i + half]! += Math.cos(angle) / future;
      rotation[i]![i + half]! -= Math.sin(angle) / future;
      rotation[i + half]![i]! += Math.sin(angle) / future;
    }
  }
  const vec = (t: Tensor3, h: number, r: number) => [
    ...t.data.subarray((h * t.shape[1] + r) * dim, (h * t.shape[1] + r + 1) * dim),
  ];
  const group = heads / kvHeads;
  const perKv: number[][] = [];
  for (let kv = 0; kv < kvHeads; kv++) {
    const sum = new Array<number>(length - sinks).fill(0);
    for (let g = 0; g < group; g++) {
      const h = kv * group + g;
      const samples: Matrix = [];
      for (let r = 0; r < rows; r++)
        if (length - rows + r >= sinks) samples.push(vec(queries, h, r));
      const mu = samples[0]!.map((_, d) => samples.reduce((s, x) => s + x[d]!, 0) / samples.length);
      const centered = samples.map((x) => x.map((v, d) => v - mu[d]!));
      const cov = matmul(transpose(centered), centered).map((row) =>
        row.map((v) => v / samples.length),
      );
      const muR = matmul(
        rotation,
        mu.map((v) => [v]),
      ).map((row) => row[0]!);
      const covR = matmul(matmul(rotation, cov), transpose(rotation));
      const logits = [];
      for (let j = sinks; j < length; j++) {
        const k = vec(keys, kv, j);
        const lin = k.reduce((s, v, d) => s + v * muR[d]!, 0) / Math.sqrt(dim);
        const quad = !covariance
          ? 0
          : k.reduce((s, v, a) => s + v * covR[a]!.reduce((t, c, b) => t + c * k[b]!, 0), 0) /
            dim /
            2;
        logits.push(lin + quad);
      }
      const max = Math.max(...logits);
      const exps = logits.map((l) => Math.exp(l - max));
      const total = exps.reduce((a, b) => a + b, 0);
      exps.forEach((e, j) => {
        sum[j]! += e / total / group;
      });
    }
    perKv.push(sum.map((s, j) => (valueNorm ? s * Math.hypot(...vec(values, kv, sinks + j)) : s)));
  }
  const max = Math.max(...perKv.flat());
  return perKv.map((row) => [...new Array<number>(sinks).fill(max + 1), ...row]);
}

describe('expected_attention', () => {
  it('matches the explicit-matrix computation with GQA', () => {
    const keys = randomTensor([2, 14, 8], 31);
    const values = randomTensor([2, 14, 8], 32);
    const queries = randomTensor([4, 14, 8], 33);
    const scores = expectedAttentionScores(keys, values, queries, {
      ropeTheta: 10_000,
      futurePositions: 16,
      sinkTokens: 3,
    });
    const expected = reference(keys, values, queries, 10_000, 16, 3);
    for (let h = 0; h < 2; h++) {
      for (let j = 0; j < 14; j++) expect(scores.data[h * 14 + j]).toBeCloseTo(expected[h]![j]!, 5);
    }
  });

  it('matches without the covariance term and without value norms', () => {
    const keys = randomTensor([1, 11, 6], 34);
    const values = randomTensor([1, 11, 6], 35);
    const queries = randomTensor([3, 11, 6], 36);
    const scores = expectedAttentionScores(keys, values, queries, {
      ropeTheta: 10_000,
      futurePositions: 8,
      useCovariance: false,
      useValueNorm: false,
    });
    const expected = reference(keys, values, queries, 10_000, 8, 4, {
      covariance: false,
      valueNorm: false,
    })[0]!;
    for (let j = 0; j < 11; j++) expect(scores.data[j]).toBeCloseTo(expected[j]!, 6);
  });

  it('uses only the query rows past the sinks when queries cover the last positions', () => {
    const keys = randomTensor([1, 10, 4], 41);
    const values = randomTensor([1, 10, 4], 42);
    const queries = randomTensor([2, 8, 4], 43); // positions 2..9; sinks 0..3 → rows 2..7 used
    const scores = expectedAttentionScores(keys, values, queries, {
      ropeTheta: 500,
      futurePositions: 4,
    });
    const expected = reference(keys, values, queries, 500, 4, 4)[0]!;
    for (let j = 0; j < 10; j++) expect(scores.data[j]).toBeCloseTo(expected[j]!, 5);
  });

  it('keeps the sinks, and runs through runPress with values and pre-RoPE queries', () => {
    const layers = [0, 1].map((l) => ({
      keys: randomTensor([2, 20, 8], 50 + l),
      values: randomTensor([2, 20, 8], 60 + l),
      preRopeQueries: randomTensor([4, 20, 8], 70 + l),
    }));
    const selection = runPress({
      press: 'expected_attention',
      layers,
      ratio: 0.5,
      options: { ropeTheta: 10_000 },
    });
    expect(selection.kept).toBe(10);
    for (const heads of selection.layers)
      for (const head of heads) expect([...head.subarray(0, 4)]).toEqual([0, 1, 2, 3]);
  });

  it('refuses a missing rope theta, missing inputs and mismatched shapes', () => {
    const keys = randomTensor([1, 10, 4], 1);
    const values = randomTensor([1, 10, 4], 2);
    const queries = randomTensor([2, 10, 4], 3);
    expect(() =>
      runPress({
        press: 'expected_attention',
        layers: [{ keys, values, preRopeQueries: queries }],
        ratio: 0.5,
      }),
    ).toThrow(/ropeTheta/);
    expect(() =>
      runPress({
        press: 'expected_attention',
        layers: [{ keys, values }],
        ratio: 0.5,
        options: { ropeTheta: 1e4 },
      }),
    ).toThrow(/pre-RoPE queries, but layer 0 has none/);
    expect(() =>
      expectedAttentionScores(keys, randomTensor([1, 9, 4], 2), queries, { ropeTheta: 1e4 }),
    ).toThrow(PressInputError);
    expect(() =>
      expectedAttentionScores(keys, values, queries, { ropeTheta: 1e4, rotaryDim: 3 }),
    ).toThrow(/rotaryDim/);
    expect(() =>
      expectedAttentionScores(keys, values, randomTensor([2, 3, 4], 3), {
        ropeTheta: 1e4,
        sinkTokens: 10,
      }),
    ).toThrow(/beyond the 10 sink tokens/);
  });
});

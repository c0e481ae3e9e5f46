import { PressInputError, runPress, snapKvScores, snapKvWindow, type Tensor3 } from '@signal/miner';
import { randomTensor } from './helpers';

/**
 * SnapKV in the order kvpress computes it: the full causal attention of the window queries per
 * query head, mean over the window, avg_pool1d per query head (zero padding counted), then the
 * mean over each KV group; window positions get max + 1.
 */
function referenceSnapKv(
  keys: Tensor3,
  queries: Tensor3,
  window: number,
  kernel: number,
): number[][] {
  const [kvHeads, length, dim] = keys.shape;
  const [heads, rows] = queries.shape;
  const group = heads / kvHeads;
  const prefix = length - window;
  const key = (h: number, j: number) =>
    keys.data.subarray((h * length + j) * dim, (h * length + j + 1) * dim);
  const query = (h: number, r: number) =>
    queries.data.subarray((h * rows + r) * dim, (h * rows + r + 1) * dim);
  const pooledPerHead: number[][] = [];
  for (let h = 0; h < heads; h++) {
    const kvHead = Math.floor(h / group);
    const mean = new Array<number>(prefix).fill(0);
    for (let w = 0; w < window; w++) {
      const q = query(h, rows - window + w);
      const logits = [];
      for (let j = 0; j < length; j++) {
        if (j > prefix + w) logits.push(Number.NEGATIVE_INFINITY);
        else logits.push(key(kvHead, j).reduce((acc, v, d) => acc + v * q[d]!, 0) / Math.sqrt(dim));
      }
      const max = Math.max(...logits);
      const exps = logits.map((l) => Math.exp(l - max));
      const total = exps.reduce((a, b) => a + b, 0);
      for (let j = 0; j < prefix; j++) mean[j]! += exps[j]! / total / window;
    }
    const r = (kernel - 1) / 2;
    pooledPerHead.push(
      mean.map((_, j) => {
        let sum = 0;
        for (let t = j - r; t <= j + r; t++) if (t >= 0 && t < prefix) sum += mean[t]!;
        return sum / kernel;
      }),
    );
  }
  const perKv: number[][] = [];
  for (let kv = 0; kv < kvHeads; kv++) {
    const members = pooledPerHead.slice(kv * group, (kv + 1) * group);
    perKv.push(members[0]!.map((_, j) => members.reduce((acc, m) => acc + m[j]!, 0) / group));
  }
  const max = Math.max(...perKv.flat());
  return perKv.map((row) => [...row, ...new Array<number>(window).fill(max + 1)]);
}

describe('snapkv', () => {
  it('matches the kvpress computation with GQA, window and kernel', () => {
    const keys = randomTensor([2, 23, 8], 11);
    const queries = randomTensor([6, 9, 8], 12);
    const scores = snapKvScores(keys, queries, { window: 7, kernel: 5 });
    const expected = referenceSnapKv(keys, queries, 7, 5);
    expect(scores.heads).toBe(2);
    expect(scores.length).toBe(23);
    for (let h = 0; h < 2; h++) {
      const row = [...scores.data.subarray(h * 23, (h + 1) * 23)];
      for (const [j, value] of row.entries()) expect(value).toBeCloseTo(expected[h]![j]!, 6);
    }
  });

  it('matches the reference when head_dim is not a multiple of four', () => {
    const keys = randomTensor([1, 15, 6], 21);
    const queries = randomTensor([3, 5, 6], 22);
    const scores = snapKvScores(keys, queries, { window: 5, kernel: 3 });
    const expected = referenceSnapKv(keys, queries, 5, 3)[0]!;
    for (const [j, value] of [...scores.data].entries()) expect(value).toBeCloseTo(expected[j]!, 6);
  });

  it('keeps the position the window attends to, and always the window', () => {
    const dim = 4;
    const length = 20;
    const keys = {
      data: new Float32Array(length * dim),
      shape: [1, length, dim] as [number, number, number],
    };
    keys.data.set([8, 0, 0, 0], 3 * dim); // only position 3 aligns with the queries
    const queries = {
      data: new Float32Array(4 * dim),
      shape: [1, 4, dim] as [number, number, number],
    };
    for (let r = 0; r < 4; r++) queries.data.set([1, 0, 0, 0], r * dim);
    const selection = runPress({
      press: 'snapkv',
      layers: [{ keys, queries }],
      ratio: 0.75,
      options: { window: 4, kernel: 1 },
    });
    expect([...selection.layers[0]![0]!]).toEqual([3, 16, 17, 18, 19]);
  });

  it('clips the window so at least one position is scored', () => {
    expect(snapKvWindow(100)).toBe(64);
    expect(snapKvWindow(10)).toBe(9);
    expect(snapKvWindow(1)).toBe(1);
    const keys = randomTensor([1, 10, 4], 1);
    const queries = randomTensor([1, 10, 4], 2);
    const { data } = snapKvScores(keys, queries);
    expect(data[0]).toBeLessThan(data[1]!);
    expect(new Set(data.subarray(1)).size).toBe(1);
  });

  it('refuses mismatched queries and bad options', () => {
    const keys = randomTensor([2, 16, 4], 1);
    expect(() => snapKvScores(keys, randomTensor([3, 8, 4], 2), { window: 8 })).toThrow(
      /multiple of the 2 KV heads/,
    );
    expect(() => snapKvScores(keys, randomTensor([4, 8, 2], 2), { window: 8 })).toThrow(
      /head_dim 2/,
    );
    expect(() => snapKvScores(keys, randomTensor([4, 4, 4], 2), { window: 8 })).toThrow(
      /cover 4 positions; the window needs between 8 and 16/,
    );
    expect(() => snapKvScores(keys, randomTensor([4, 8, 4], 2), { window: 8, kernel: 4 })).toThrow(
      PressInputError,
    );
    const nan = randomTensor([4, 8, 4], 2);
    nan.data[0] = Number.NaN;
    expect(() => snapKvScores(keys, nan, { window: 8 })).toThrow(/NaN/);
  });
});

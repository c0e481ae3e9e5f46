import { isSignalError } from '@signal/core';
import { KvCache } from '@signal/runtime';

/** A cache whose every float encodes (layer, part, batch, head, position, dim), so moves are checkable. */
function codedCache(
  layers: number,
  batch: number,
  heads: number,
  length: number,
  dim: number,
): KvCache {
  const code = (l: number, part: number, b: number, h: number, p: number, d: number) =>
    l * 1e6 + part * 1e5 + b * 1e4 + h * 1e3 + p * 10 + d;
  const tensor = (l: number, part: number) => {
    const t = new Float32Array(batch * heads * length * dim);
    for (let b = 0; b < batch; b++)
      for (let h = 0; h < heads; h++)
        for (let p = 0; p < length; p++)
          for (let d = 0; d < dim; d++)
            t[((b * heads + h) * length + p) * dim + d] = code(l, part, b, h, p, d);
    return t;
  };
  return new KvCache({
    batch,
    kvHeads: heads,
    headDim: dim,
    length,
    layers: Array.from({ length: layers }, (_, l) => ({ key: tensor(l, 0), value: tensor(l, 1) })),
  });
}

/** The position a value came from, decoded from codedCache's encoding. */
const posOf = (v: number) => Math.floor((v % 1000) / 10);
const headOf = (v: number) => Math.floor((v % 1e4) / 1e3);

describe('KvCache', () => {
  it('reports byte size and original length', () => {
    const cache = codedCache(3, 1, 2, 5, 4);
    expect(cache.byteSize).toBe(3 * 2 * 2 * 5 * 4 * 4);
    expect(cache.originalLength).toBe(5);
    expect(cache.fullyAttended).toBe(true);
  });

  it('gathers the same positions everywhere and keeps the original length', () => {
    const cache = codedCache(2, 1, 2, 6, 3);
    const pruned = cache.gather([0, 2, 5]);
    expect(pruned.length).toBe(3);
    expect(pruned.originalLength).toBe(6);
    for (const layer of pruned.layers) {
      for (let h = 0; h < 2; h++) {
        expect([0, 1, 2].map((j) => posOf(layer.key[(h * 3 + j) * 3]!))).toEqual([0, 2, 5]);
        expect(headOf(layer.value[(h * 3 + 1) * 3]!)).toBe(h);
      }
    }
    expect(pruned.lastLogits).toBeUndefined();
  });

  it('gathers different positions per head and per layer', () => {
    const cache = codedCache(2, 1, 2, 6, 2);
    const keep = [
      [
        [1, 4],
        [0, 5],
      ],
      [
        [2, 3],
        [5, 1],
      ],
    ];
    const pruned = cache.gather(keep);
    keep.forEach((layerKeep, l) => {
      layerKeep.forEach((headKeep, h) => {
        const got = headKeep.map((_, j) => pruned.layers[l]!.key[(h * 2 + j) * 2]!);
        expect(got.map(posOf)).toEqual(headKeep);
        expect(got.every((v) => Math.floor(v / 1e6) === l)).toBe(true);
      });
    });
    const perHead = cache.gather([
      [1, 4],
      [0, 5],
    ]);
    expect(posOf(perHead.layers[1]!.value[(1 * 2 + 1) * 2]!)).toBe(5);
  });

  it('refuses unequal counts, out-of-range and duplicate indices', () => {
    const cache = codedCache(2, 1, 2, 6, 2);
    const attempts = [
      () => cache.gather([[1, 2], [3]]),
      () => cache.gather([0, 6]),
      () => cache.gather([1, 1]),
      () => cache.gather([[1]]),
    ];
    for (const attempt of attempts) {
      const error = (() => {
        try {
          attempt();
        } catch (e) {
          return e;
        }
      })();
      expect(isSignalError(error, 'KV_BAD_INDICES')).toBe(true);
    }
  });

  it('slices and concatenates back to the same tensors', () => {
    const cache = codedCache(2, 2, 2, 7, 3);
    const joined = cache.slice(0, 3).concat(cache.slice(3));
    expect(joined.length).toBe(7);
    joined.layers.forEach((layer, l) => {
      expect(layer.key).toEqual(cache.layers[l]!.key);
      expect(layer.value).toEqual(cache.layers[l]!.value);
    });
    expect(cache.slice(2, 4).nextPositions).toEqual([7, 7]);
  });

  it('splits rows, dropping left padding', () => {
    const base = codedCache(1, 2, 1, 4, 1);
    const mask = Uint8Array.from([0, 0, 1, 1, 1, 1, 1, 1]);
    const cache = new KvCache({ ...base, layers: base.layers, mask, nextPositions: [2, 4] });
    const row0 = cache.row(0);
    expect(row0.length).toBe(2);
    expect(row0.originalLength).toBe(2);
    expect(Array.from(row0.layers[0]!.key, posOf)).toEqual([2, 3]);
    expect(cache.row(1).length).toBe(4);
    expect(() => cache.originalLength).toThrow(/single-row/);
  });

  it('validates tensor sizes against the declared shape', () => {
    expect(
      () =>
        new KvCache({
          batch: 1,
          kvHeads: 2,
          headDim: 4,
          length: 3,
          layers: [{ key: new Float32Array(24), value: new Float32Array(23) }],
        }),
    ).toThrow(/layer 0 value has the wrong size/);
  });
});

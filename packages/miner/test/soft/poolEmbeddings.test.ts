import { chunkBounds, poolEmbeddings, SoftInputError } from '@signal/miner';

const embeddings = {
  // five rows of hidden size 2: row r is [r, 10r]
  data: Float32Array.from([0, 0, 1, 10, 2, 20, 3, 30, 4, 40]),
  rows: 5,
  hidden: 2,
};

describe('poolEmbeddings', () => {
  it('averages fixed chunks, the last one shorter', () => {
    const pooled = poolEmbeddings(embeddings, { chunk: 2 });
    expect(pooled.rows).toBe(3);
    expect(pooled.hidden).toBe(2);
    expect([...pooled.data]).toEqual([0.5, 5, 2.5, 25, 4, 40]);
  });

  it('yields exactly keptCount rows for a ratio, from balanced contiguous chunks', () => {
    const pooled = poolEmbeddings(embeddings, { ratio: 0.5 });
    expect(pooled.rows).toBe(3); // round(2.5) = 3
    expect(chunkBounds(5, { ratio: 0.5 })).toEqual([
      [0, 1],
      [1, 3],
      [3, 5],
    ]);
    expect([...pooled.data]).toEqual([0, 0, 1.5, 15, 3.5, 35]);
    expect(poolEmbeddings(embeddings, { ratio: 0 }).data).toEqual(embeddings.data);
    for (const ratio of [0.25, 0.5, 0.75]) {
      const bounds = chunkBounds(103, { ratio });
      expect(bounds).toHaveLength(Math.floor(103 * (1 - ratio) + 0.5));
      expect(bounds[0]![0]).toBe(0);
      expect(bounds.at(-1)![1]).toBe(103);
      const sizes = bounds.map(([s, e]) => e - s);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('refuses bad shapes, chunks, ratios and non-finite values', () => {
    expect(() => poolEmbeddings({ ...embeddings, rows: 4 }, { chunk: 2 })).toThrow(
      /hold 10 values/,
    );
    expect(() => poolEmbeddings({ ...embeddings, hidden: 0 }, { chunk: 2 })).toThrow(
      SoftInputError,
    );
    expect(() => poolEmbeddings(embeddings, { chunk: 0 })).toThrow(/positive integer/);
    expect(() => poolEmbeddings(embeddings, { ratio: 1 })).toThrow(/ratio 1/);
    const bad = { ...embeddings, data: embeddings.data.slice() };
    bad.data[3] = Number.NaN;
    expect(() => poolEmbeddings(bad, { chunk: 2 })).toThrow(/row 0 is not finite/);
  });
});

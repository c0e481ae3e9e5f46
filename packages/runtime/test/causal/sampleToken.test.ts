import { argmax, SamplingOptionsSchema, SeededRandom, sampleToken } from '@signal/runtime';

const logits = Float32Array.from([1.0, 3.0, 2.5, -1.0, 0.5, 2.9]);
const opts = (o: object) => SamplingOptionsSchema.parse(o);
const draw = (o: object, seed: number, n: number) => {
  const random = new SeededRandom(seed);
  return Array.from({ length: n }, () => sampleToken(logits, opts(o), random));
};

describe('sampleToken', () => {
  it('is greedy at temperature 0', () => {
    expect(argmax(logits)).toBe(1);
    expect(draw({}, 1, 5)).toEqual([1, 1, 1, 1, 1]);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = draw({ temperature: 1 }, 42, 200);
    expect(draw({ temperature: 1 }, 42, 200)).toEqual(a);
    expect(draw({ temperature: 1 }, 43, 200)).not.toEqual(a);
  });

  it('restricts to the top k tokens', () => {
    const seen = new Set(draw({ temperature: 5, topK: 2 }, 7, 300));
    expect([...seen].sort()).toEqual([1, 5]);
    expect(new Set(draw({ temperature: 5, topK: 1 }, 7, 50))).toEqual(new Set([1]));
  });

  it('restricts to the nucleus under top p', () => {
    // softmax: p(1)≈0.33, p(5)≈0.30, p(2)≈0.20; 0.6 of the mass needs tokens 1 and 5.
    const seen = new Set(draw({ temperature: 1, topP: 0.6 }, 3, 300));
    expect([...seen].sort()).toEqual([1, 5]);
  });

  it('matches the softmax distribution', () => {
    const n = 20_000;
    const counts = new Array(logits.length).fill(0);
    for (const t of draw({ temperature: 1 }, 9, n)) counts[t]++;
    const z = Array.from(logits, Math.exp).reduce((a, b) => a + b, 0);
    logits.forEach((l, i) => {
      expect(Math.abs(counts[i] / n - Math.exp(l) / z)).toBeLessThan(0.015);
    });
  });

  it('rejects invalid settings', () => {
    expect(() => opts({ topP: 0 })).toThrow();
    expect(() => opts({ temperature: -1 })).toThrow();
    expect(() => opts({ temperature: Number.NaN })).toThrow();
  });
});

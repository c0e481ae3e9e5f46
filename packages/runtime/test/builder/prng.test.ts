import { Prng } from '../../src/builder/prng';

const moments = (xs: Float32Array) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(variance) };
};

describe('Prng', () => {
  it('gives each (seed, tensor name) its own reproducible stream', () => {
    const values = (seed: number, name: string) => Prng.forTensor(seed, name).normal(64, 1);
    const a = values(1, 'model.layers.0.self_attn.q_proj.weight');
    expect(values(1, 'model.layers.0.self_attn.q_proj.weight')).toEqual(a);
    expect(values(2, 'model.layers.0.self_attn.q_proj.weight')).not.toEqual(a);
    expect(values(1, 'model.layers.0.self_attn.k_proj.weight')).not.toEqual(a);
  });

  it('samples N(mean, std²)', () => {
    const xs = Prng.forTensor(3, 'w').normal(200_000, 0.5, 1);
    const { mean, std } = moments(xs);
    expect(Math.abs(mean - 1)).toBeLessThan(0.005);
    expect(Math.abs(std - 0.5)).toBeLessThan(0.005);
    // A Gaussian, not just any distribution with these moments: 4.55% lie beyond 2σ.
    const tails = xs.filter((x) => Math.abs(x - 1) > 1).length / xs.length;
    expect(Math.abs(tails - 0.0455)).toBeLessThan(0.003);
    expect(xs.every(Number.isFinite)).toBe(true);
  });

  it('fills odd counts completely, and a longer tensor extends a shorter one', () => {
    const odd = Prng.forTensor(4, 'norm').normal(5, 1);
    const even = Prng.forTensor(4, 'norm').normal(4, 1);
    expect(Array.from(odd.subarray(0, 4))).toEqual(Array.from(even));
    expect(odd[4]).not.toBe(0);
  });
});

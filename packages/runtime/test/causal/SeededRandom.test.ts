import { SeededRandom } from '@signal/runtime';

const draws = (random: SeededRandom, n: number) => Array.from({ length: n }, () => random.next());

describe('SeededRandom', () => {
  it('replays a seed exactly and gives other seeds other streams', () => {
    const a = draws(new SeededRandom(42), 50);
    expect(draws(new SeededRandom(42), 50)).toEqual(a);
    expect(draws(new SeededRandom(43), 50)).not.toEqual(a);
  });

  it('stays in [0, 1)', () => {
    for (const x of draws(new SeededRandom(7), 20_000)) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('spreads the first draw of consecutive small seeds over [0, 1)', () => {
    // An unmixed seed would put every first draw of seeds 0..999 in one corner of [0, 1).
    const first = Array.from({ length: 1000 }, (_, seed) => new SeededRandom(seed).next());
    const below = first.filter((x) => x < 0.5).length;
    expect(below).toBeGreaterThan(440);
    expect(below).toBeLessThan(560);
    expect(Math.min(...first)).toBeLessThan(0.01);
    expect(Math.max(...first)).toBeGreaterThan(0.99);
  });

  it('keeps seeds beyond 32 bits and negative seeds apart', () => {
    const first = (seed: number) => draws(new SeededRandom(seed), 4);
    expect(first(2 ** 32 + 1)).not.toEqual(first(1));
    expect(first(-1)).not.toEqual(first(2 ** 32 - 1));
  });

  it('derives independent named streams from one seed', () => {
    const plain = draws(new SeededRandom(5), 20);
    expect(draws(new SeededRandom(5, 'a'), 20)).not.toEqual(plain);
    expect(draws(new SeededRandom(5, 'a'), 20)).not.toEqual(draws(new SeededRandom(5, 'b'), 20));
    // The separator keeps label boundaries: ('ab') is not ('a', 'b').
    expect(draws(new SeededRandom(5, 'ab'), 20)).not.toEqual(
      draws(new SeededRandom(5, 'a', 'b'), 20),
    );
    expect(draws(new SeededRandom(5, 'a'), 20)).toEqual(draws(new SeededRandom(5, 'a'), 20));
  });

  it('is uniform and serially uncorrelated', () => {
    const n = 100_000;
    const xs = draws(new SeededRandom(11), n);
    const buckets = new Array<number>(10).fill(0);
    for (const x of xs) buckets[Math.floor(x * 10)]!++;
    const expected = n / 10;
    const chiSquare = buckets.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: 27.9 is the 99.9% quantile.
    expect(chiSquare).toBeLessThan(27.9);

    let covariance = 0;
    let variance = 0;
    for (let i = 0; i < n; i++) {
      const d = xs[i]! - 0.5;
      variance += d * d;
      if (i > 0) covariance += d * (xs[i - 1]! - 0.5);
    }
    expect(Math.abs(covariance / variance)).toBeLessThan(0.02);
  });
});

import { isSignalError } from '@signal/core';
import { SeededRandom } from '@signal/validator';
import fc from 'fast-check';

const draws = (random: SeededRandom, n: number) =>
  Array.from({ length: n }, () => random.int(0, 1_000_000));

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed path and different ones for different seeds', () => {
    expect(draws(SeededRandom.from('epoch-1', 'a'), 20)).toEqual(
      draws(SeededRandom.from('epoch-1', 'a'), 20),
    );
    expect(draws(SeededRandom.from('epoch-1', 'a'), 20)).not.toEqual(
      draws(SeededRandom.from('epoch-2', 'a'), 20),
    );
    expect(draws(SeededRandom.from('epoch-1', 'a'), 20)).not.toEqual(
      draws(SeededRandom.from('epoch-1', 'b'), 20),
    );
  });

  it('forks from the path, whatever the parent has drawn', () => {
    const fresh = SeededRandom.from('s');
    const used = SeededRandom.from('s');
    draws(used, 50);
    expect(draws(used.fork('child'), 10)).toEqual(draws(fresh.fork('child'), 10));
    expect(used.fork('child').path).toEqual(['s', 'child']);
  });

  it('keeps integers in range and floats in [0, 1)', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: -1000, max: 1000 }),
        fc.nat(1000),
        (seed, min, span) => {
          const random = SeededRandom.from(seed);
          const ints = Array.from({ length: 20 }, () => random.int(min, min + span));
          const floats = Array.from({ length: 20 }, () => random.float());
          expect(ints.filter((v) => v < min || v > min + span || !Number.isInteger(v))).toEqual([]);
          expect(floats.filter((v) => !(v >= 0 && v < 1))).toEqual([]);
        },
      ),
    );
  });

  it('shuffles into a permutation and samples distinct items', () => {
    fc.assert(
      fc.property(fc.string(), fc.uniqueArray(fc.integer(), { maxLength: 40 }), (seed, items) => {
        const random = SeededRandom.from(seed);
        expect([...random.shuffle(items)].sort()).toEqual([...items].sort());
        const k = Math.floor(items.length / 2);
        const sample = random.sample(items, k);
        expect(sample).toHaveLength(k);
        expect(new Set(sample).size).toBe(k);
        for (const item of sample) expect(items).toContain(item);
      }),
    );
  });

  it('refuses impossible requests with typed errors', () => {
    const random = SeededRandom.from('x');
    expect(() => random.pick([])).toThrow(expect.objectContaining({ code: 'CORPUS_EMPTY_CHOICE' }));
    expect(() => random.sample([1], 2)).toThrow(
      expect.objectContaining({ code: 'CORPUS_EMPTY_CHOICE' }),
    );
    try {
      random.int(5, 1);
      throw new Error('unreachable');
    } catch (error) {
      expect(isSignalError(error, 'CORPUS_BAD_RANGE')).toBe(true);
    }
    expect(() => random.int(0, Number.NaN)).toThrow(
      expect.objectContaining({ code: 'CORPUS_BAD_RANGE' }),
    );
  });
});

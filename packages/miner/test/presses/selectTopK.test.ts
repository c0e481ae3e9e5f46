import { PressInputError, selectTopK } from '@signal/miner';
import fc from 'fast-check';

/** The obvious definition: sort positions by score (desc), later first on ties, take k. */
function naiveTopK(scores: Float32Array, k: number): number[] {
  return [...scores.keys()]
    .sort((a, b) => scores[b]! - scores[a]! || b - a)
    .slice(0, k)
    .sort((a, b) => a - b);
}

describe('selectTopK', () => {
  it('returns the k best positions in ascending order', () => {
    const scores = Float32Array.from([0.1, 0.9, 0.3, 0.8, 0.2]);
    expect([...selectTopK(scores, 2, 'test')]).toEqual([1, 3]);
    expect([...selectTopK(scores, 5, 'test')]).toEqual([0, 1, 2, 3, 4]);
  });

  it('breaks ties at the cut in favour of later positions', () => {
    const scores = Float32Array.from([1, 1, 1, 1, 5]);
    expect([...selectTopK(scores, 3, 'test')]).toEqual([2, 3, 4]);
  });

  it('agrees with a full sort on arbitrary scores, ties included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 1, maxLength: 60 }),
        fc.nat(),
        (values, pick) => {
          const scores = Float32Array.from(values);
          const k = 1 + (pick % scores.length);
          expect([...selectTopK(scores, k, 'test')]).toEqual(naiveTopK(scores, k));
        },
      ),
    );
  });

  it('names the head and position of a NaN score', () => {
    const scores = Float32Array.from([0, Number.NaN, 1]);
    expect(() => selectTopK(scores, 2, 'Layer 3 head 1')).toThrow(PressInputError);
    expect(() => selectTopK(scores, 2, 'Layer 3 head 1')).toThrow(/Layer 3 head 1.*position 1/);
    expect(() => selectTopK(scores, 3, 'Layer 3 head 1')).toThrow(/position 1/);
  });
});

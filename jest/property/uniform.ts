import fc from 'fast-check';

/** Steps of the grid a uniform double is drawn on (2^32 − 1, so both bounds are on it). */
const STEPS = 0xffff_ffff;

/**
 * A double drawn uniformly from [min, max], on a grid of 2^32 steps. About four draws in five
 * are uniform; fast-check's integer bias puts the others within a thousandth of the range
 * from a bound (measured over 10 000 draws of [0, 1]: 14 % below 0.001, 7 % above 0.999, each
 * middle decile 8 %), which brings the bounds' neighbourhoods too. Shrinking goes towards
 * `min`. Not `fc.double({ min, max })`: that draws uniformly over the doubles' bit patterns,
 * and most doubles of a range lie near 0, so 93 % of `fc.double({ min: 0, max: 1 })` are
 * below 0.001 (0.07 % in [0.25, 0.75)) and a property almost never sees a mid-range value.
 */
export function uniformDouble(min: number, max: number): fc.Arbitrary<number> {
  if (!(Number.isFinite(max - min) && min <= max)) {
    throw new RangeError(`uniformDouble needs finite bounds min <= max, got [${min}, ${max}].`);
  }
  return fc
    .integer({ min: 0, max: STEPS })
    .map((step) => Math.min(max, min + (max - min) * (step / STEPS)));
}

/**
 * `arbitrary`, with one case in ten taken from `edges` instead: the values a property must
 * also hold for (0, −0, the bounds, the smallest subnormal, …) that a uniform draw would
 * practically never produce.
 */
export function withEdges(
  arbitrary: fc.Arbitrary<number>,
  edges: readonly number[],
): fc.Arbitrary<number> {
  return fc.oneof({ arbitrary, weight: 9 }, { arbitrary: fc.constantFrom(...edges), weight: 1 });
}

import fc from 'fast-check';

/**
 * Where a mutation lands, as a fraction of the current length (or node count) in [0, 1),
 * uniformly. Not `fc.double({min: 0, max: 1})`: that draws uniformly over the doubles' bit
 * patterns, and most doubles in [0, 1) are tiny, so 93 % of its values are below 0.001 and a
 * mutation would almost always hit the first byte or the root node.
 */
export const position: fc.Arbitrary<number> = fc
  .integer({ min: 0, max: 0xffff_ffff })
  .map((n) => n / 2 ** 32);

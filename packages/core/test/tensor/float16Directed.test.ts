import fc from 'fast-check';
import { uniformDouble } from '../../../../jest/property/uniform';
import { float16Value } from '../../src/tensor/codecFloat16';
import { float16BitsAtLeast, float16BitsAtMost } from '../../src/tensor/float16Directed';

/** Every finite half, ascending. */
const halves = Array.from({ length: 0x10000 }, (_, bits) => float16Value(bits))
  .filter(Number.isFinite)
  .sort((a, b) => a - b);

function brute(value: number): { below: number; above: number } {
  let lo = 0;
  let hi = halves.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (halves[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  const below = halves[lo]!;
  return { below, above: below === value ? below : (halves[lo + 1] ?? Number.POSITIVE_INFINITY) };
}

describe('directed float16 rounding', () => {
  it('finds the largest half at or below and the smallest at or above any double in range', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          // Over the bit patterns: every magnitude, subnormal halves and beyond them.
          fc.double({ min: -65504, max: 65504, noNaN: true }),
          fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
          // Uniform: mostly large values, where halves lie up to 32 apart, and the subnormal
          // halves' range, which the bit patterns reach only near 0.
          uniformDouble(-65504, 65504),
          uniformDouble(-1e-3, 1e-3),
          fc.integer({ min: -2048, max: 2048 }).map((n) => n / 1024 + 2 ** -30),
        ),
        (value) => {
          const { below, above } = brute(value);
          // === so that −0 and +0 count as the same half.
          expect(float16Value(float16BitsAtMost(value)) === below).toBe(true);
          expect(float16Value(float16BitsAtLeast(value)) === above).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('is exact on halves and on ties, where rounding twice through float32 can go either way', () => {
    expect(float16Value(float16BitsAtMost(1))).toBe(1);
    expect(float16Value(float16BitsAtLeast(-2.5))).toBe(-2.5);
    // Halfway between 1 and the next half (1 + 2^-10), nudged just below and above.
    expect(float16Value(float16BitsAtMost(1 + 2 ** -11 + 2 ** -40))).toBe(1);
    expect(float16Value(float16BitsAtLeast(1 + 2 ** -11 - 2 ** -40))).toBe(1 + 2 ** -10);
    expect(float16Value(float16BitsAtMost(70000))).toBe(65504);
    expect(float16Value(float16BitsAtLeast(70000))).toBe(Number.POSITIVE_INFINITY);
  });
});

import { assertRatio, InvalidRatioError, keptCount } from '@signal/miner';

describe('keptCount', () => {
  it.each([
    [10, 0, 10],
    [10, 0.25, 8], // 7.5 rounds up
    [10, 0.5, 5],
    [10, 0.75, 3], // 2.5 rounds up
    [10, 0.7, 3], // 10 × 0.3 is 3.0000000000000004 in binary
    [100, 0.75, 25],
    [7, 0.5, 4], // 3.5 rounds up
    [4, 0.99, 1], // never below one
    [1, 0.5, 1],
    [0, 0.5, 0],
  ])('keeps round(%i × (1 − %f)) = %i', (length, ratio, expected) => {
    expect(keptCount(length, ratio)).toBe(expected);
  });

  it.each([-0.1, 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses ratio %p', (ratio) => {
    expect(() => assertRatio(ratio)).toThrow(InvalidRatioError);
    try {
      keptCount(10, ratio);
      throw new Error('unreachable');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidRatioError);
      expect((error as InvalidRatioError).code).toBe('MINER_INVALID_RATIO');
      expect((error as InvalidRatioError).message).toContain(String(ratio));
    }
  });

  it('refuses a fractional length', () => {
    expect(() => keptCount(2.5, 0.5)).toThrow(/non-negative integer/);
  });
});

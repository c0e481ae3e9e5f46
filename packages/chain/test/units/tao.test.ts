import { RAO_PER_TAO, taoToRao } from '../../src/units/tao';

describe('taoToRao', () => {
  it('converts decimal TAO to rao exactly, without a float', () => {
    expect(taoToRao('1000')).toBe(1000n * RAO_PER_TAO);
    expect(taoToRao('0.5')).toBe(500_000_000n);
    expect(taoToRao(' 0.000000001 ')).toBe(1n);
    expect(taoToRao('123456789.123456789')).toBe(123_456_789_123_456_789n);
    expect(taoToRao(2.25)).toBe(2_250_000_000n);
  });

  it('refuses what is not a plain non-negative decimal with at most nine places', () => {
    for (const bad of ['-1', '1e3', '0.0000000001', '', 'ten', '1.', '.5', Number.NaN, -2]) {
      expect(taoToRao(bad)).toBeNull();
    }
  });
});

import fc from 'fast-check';
import {
  dequantizeGroups,
  dequantizeGroupsToHalves,
} from '../../src/quantization/dequantizeGroups';
import { groupLayout } from '../../src/quantization/GroupLayout';
import { QuantizationError } from '../../src/quantization/QuantizationError';
import type { QuantizationScheme } from '../../src/quantization/QuantizationScheme';
import { quantizeGroups } from '../../src/quantization/quantizeGroups';
import { float16Value, toFloat16Bits } from '../../src/tensor/codecFloat16';

function roundTrip(
  values: Float32Array,
  shape: number[],
  axis: number,
  groupSize: number,
  scheme: QuantizationScheme,
) {
  const groups = quantizeGroups({ values, shape, axis, groupSize, scheme });
  const out = new Float32Array(values.length);
  dequantizeGroups({ ...groups, shape, axis, groupSize, scheme }, out);
  return { groups, out };
}

/** The scale of the group element `e` falls in. */
function scaleOf(
  e: number,
  shape: number[],
  axis: number,
  groupSize: number,
  scale: Uint16Array,
): number {
  const { length, inner, groups } = groupLayout(shape, axis, groupSize);
  const i = e % inner;
  const a = Math.floor(e / inner) % length;
  const o = Math.floor(e / (inner * length));
  return float16Value(scale[(o * groups + Math.floor(a / groupSize)) * inner + i]!);
}

const tensorCase = fc
  .record({
    heads: fc.integer({ min: 1, max: 3 }),
    tokens: fc.integer({ min: 1, max: 40 }),
    halfDim: fc.integer({ min: 1, max: 12 }),
    axis: fc.constantFrom(2, 3),
    groupSize: fc.constantFrom(1, 3, 7, 32, 1000),
    scheme: fc.constantFrom<QuantizationScheme>('int8', 'int4'),
    magnitude: fc.constantFrom(1e-3, 1, 30, 3000),
    seed: fc.integer(),
  })
  .map((c) => {
    const shape = [1, c.heads, c.tokens, c.halfDim * 2];
    const count = shape.reduce((n, d) => n * d, 1);
    let state = c.seed >>> 0 || 1;
    const values = Float32Array.from({ length: count }, () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return ((state >>> 0) / 2 ** 32 - 0.3) * c.magnitude;
    });
    return { ...c, shape, values };
  });

describe('grouped quantization', () => {
  it('reconstructs every element within half its group step', () => {
    fc.assert(
      fc.property(tensorCase, ({ values, shape, axis, groupSize, scheme }) => {
        const { groups, out } = roundTrip(values, shape, axis, groupSize, scheme);
        for (let e = 0; e < values.length; e++) {
          const step = scaleOf(e, shape, axis, groupSize, groups.scale);
          // Half a step, plus the float32 rounding of code·scale + zero.
          const bound = step / 2 + 2 ** -22 * Math.max(1, Math.abs(values[e]!));
          expect(Math.abs(out[e]! - values[e]!)).toBeLessThanOrEqual(bound);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('takes the step from the group range: (max − zero) / levels, rounded up to float16', () => {
    const values = Float32Array.from([-1, 0.5, 2, 3, 10, 10, 10, 10]);
    const groups = quantizeGroups({ values, shape: [2, 4], axis: 1, groupSize: 4, scheme: 'int4' });
    expect(float16Value(groups.zero[0]!)).toBe(-1);
    expect(float16Value(groups.scale[0]!)).toBeGreaterThanOrEqual(4 / 15);
    expect(float16Value(groups.scale[0]!) - 4 / 15).toBeLessThan(2 ** -12);
    // A constant group has step 0 and comes back exactly.
    expect(float16Value(groups.scale[1]!)).toBe(0);
    const out = new Float32Array(8);
    dequantizeGroups({ ...groups, shape: [2, 4], axis: 1, groupSize: 4, scheme: 'int4' }, out);
    expect(Array.from(out.subarray(4))).toEqual([10, 10, 10, 10]);
  });

  it('packs int4 codes low nibble first and has exact byte sizes', () => {
    // Group [0, 15]: zero 0, scale 1, codes 0 and 15 → one byte 0xf0.
    const values = Float32Array.from([0, 15, 7, 1]);
    const groups = quantizeGroups({ values, shape: [1, 4], axis: 1, groupSize: 2, scheme: 'int4' });
    expect(Array.from(groups.codes)).toEqual([0xf0, 0x0f]);
    const shape = [1, 8, 100, 128];
    const big = new Float32Array(8 * 100 * 128).map((_, i) => Math.sin(i));
    const int4 = quantizeGroups({ values: big, shape, axis: 2, groupSize: 32, scheme: 'int4' });
    expect(int4.codes.length).toBe((8 * 100 * 128) / 2);
    expect(int4.layout.groupShape).toEqual([1, 8, 4, 128]);
    expect(int4.scale.length).toBe(8 * 4 * 128);
    const int8 = quantizeGroups({ values: big, shape, axis: 3, groupSize: 128, scheme: 'int8' });
    expect(int8.codes.length).toBe(8 * 100 * 128);
    expect(int8.layout.groupShape).toEqual([1, 8, 100, 1]);
  });

  it('dequantizes to float16 bits exactly as float32 then round-half-to-even', () => {
    fc.assert(
      fc.property(tensorCase, ({ values, shape, axis, groupSize, scheme }) => {
        const { groups, out } = roundTrip(values, shape, axis, groupSize, scheme);
        const halves = new Uint16Array(values.length);
        dequantizeGroupsToHalves({ ...groups, shape, axis, groupSize, scheme }, halves);
        expect(Array.from(halves)).toEqual(Array.from(toFloat16Bits(out)));
      }),
      { numRuns: 20 },
    );
  });

  it('refuses non-finite input, ranges float16 cannot hold, and an odd int4 count', () => {
    const attempt = (values: Float32Array, scheme: QuantizationScheme = 'int8') => {
      try {
        quantizeGroups({ values, shape: [values.length], axis: 0, groupSize: 4, scheme });
      } catch (error) {
        expect(error).toBeInstanceOf(QuantizationError);
        return (error as QuantizationError).code;
      }
      return 'accepted';
    };
    expect(attempt(Float32Array.from([1, Number.NaN, 2, 3]))).toBe('QUANT_NON_FINITE');
    expect(attempt(Float32Array.from([1, 2, Number.POSITIVE_INFINITY, 3]))).toBe(
      'QUANT_NON_FINITE',
    );
    expect(attempt(Float32Array.from([-70000, 1, 2, 3]))).toBe('QUANT_RANGE');
    expect(attempt(Float32Array.from([1, 2, 3]), 'int4')).toBe('QUANT_LAYOUT');
    expect(attempt(Float32Array.from([1, 2, 3, 4]), 'int4')).toBe('accepted');
  });

  it('refuses codes and scales that do not fit the layout', () => {
    const values = Float32Array.from({ length: 16 }, (_, i) => i);
    const groups = quantizeGroups({ values, shape: [4, 4], axis: 1, groupSize: 2, scheme: 'int4' });
    const input = { ...groups, shape: [4, 4], axis: 1, groupSize: 2, scheme: 'int4' as const };
    expect(() =>
      dequantizeGroups({ ...input, codes: groups.codes.subarray(1) }, new Float32Array(16)),
    ).toThrow(/codes hold 7 bytes/);
    expect(() =>
      dequantizeGroups({ ...input, scale: groups.scale.subarray(1) }, new Float32Array(16)),
    ).toThrow(/the groups need 8/);
    expect(() => dequantizeGroups({ ...input, groupSize: 1 }, new Float32Array(16))).toThrow(
      QuantizationError,
    );
  });
});

import fc from 'fast-check';
import { dequantizeGroupsToHalves } from '../../src/quantization/dequantizeGroups';
import { groupLayout } from '../../src/quantization/GroupLayout';
import { QuantizationError } from '../../src/quantization/QuantizationError';
import { type QuantizationScheme, SCHEME_LEVELS } from '../../src/quantization/QuantizationScheme';
import { emptyGroups, quantizeGroups } from '../../src/quantization/quantizeGroups';
import { dequantizeScalar } from '../../src/quantization/scalar/dequantizeScalar';
import { quantizeScalar } from '../../src/quantization/scalar/quantizeScalar';
import { dequantizeWithKernels } from '../../src/quantization/simd/dequantizeWithKernels';
import { quantizeWithKernels } from '../../src/quantization/simd/quantizeWithKernels';
import { kernelsFit } from '../../src/simd/kernels';
import { toFloat16Bits } from '../../src/tensor/codecFloat16';

/** Both quantizers and both dequantizers on the same tensor; every byte must agree. */
function compare(
  values: Float32Array,
  shape: number[],
  axis: number,
  groupSize: number,
  scheme: QuantizationScheme,
) {
  const layout = groupLayout(shape, axis, groupSize);
  expect(kernelsFit(layout)).toBe(true);
  const levels = SCHEME_LEVELS[scheme];
  const packed = scheme === 'int4';
  const reference = emptyGroups(layout, scheme);
  quantizeScalar(values, layout, levels, packed, reference);
  const simd = emptyGroups(layout, scheme);
  expect(quantizeWithKernels(values, layout, levels, packed, simd)).toBe(true);
  expect(Buffer.from(simd.zero.buffer).equals(Buffer.from(reference.zero.buffer))).toBe(true);
  expect(Buffer.from(simd.scale.buffer).equals(Buffer.from(reference.scale.buffer))).toBe(true);
  expect(Buffer.from(simd.codes).equals(Buffer.from(reference.codes))).toBe(true);
  const slice = layout.length * layout.inner;
  const expected = new Float32Array(layout.count);
  for (let o = 0; o < layout.outer; o++) {
    dequantizeScalar(reference, layout, packed, o, expected, o * slice);
  }
  const got = new Float32Array(layout.count);
  dequantizeWithKernels(reference, layout, packed, got, 0, layout.outer);
  expect(Buffer.from(got.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
  // Narrowed in the arena: the float16 bits of the same floats, with no float32 copy.
  const halves = new Uint16Array(layout.count);
  const bits = toFloat16Bits(expected);
  const beyond = bits.some((h) => (h & 0x7c00) === 0x7c00);
  expect(dequantizeWithKernels(reference, layout, packed, halves, 0, layout.outer)).toBe(beyond);
  expect(Buffer.from(halves.buffer).equals(Buffer.from(bits.buffer))).toBe(true);
  // A range of slices lands at the start of its own output.
  if (layout.outer > 1) {
    const tail = new Float32Array((layout.outer - 1) * slice);
    dequantizeWithKernels(reference, layout, packed, tail, 1, layout.outer);
    expect(Buffer.from(tail.buffer).equals(Buffer.from(expected.buffer, slice * 4))).toBe(true);
  }
}

/** Values drawn to hit the edges: signed zeros, subnormals of float16, float16's range limits. */
const special = [0, -0, 2 ** -24, -(2 ** -24), 3e-8, -3e-8, 6e-5, 65504, -65504, 65519, 1, -1];

const tensorCase = fc
  .record({
    heads: fc.integer({ min: 1, max: 3 }),
    tokens: fc.integer({ min: 1, max: 70 }),
    quarterDim: fc.integer({ min: 1, max: 40 }),
    axis: fc.constantFrom(2, 3),
    groupSize: fc.constantFrom(4, 8, 32, 128, 1000),
    scheme: fc.constantFrom<QuantizationScheme>('int8', 'int4'),
    magnitude: fc.constantFrom(1e-6, 1e-3, 1, 30, 3000),
    specials: fc.integer({ min: 0, max: 3 }),
    seed: fc.integer(),
  })
  .map((c) => {
    const shape = [1, c.heads, c.tokens, c.quarterDim * 4];
    const count = shape.reduce((n, d) => n * d, 1);
    let state = c.seed >>> 0 || 1;
    const next = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 2 ** 32;
    };
    const values = Float32Array.from({ length: count }, () => (next() - 0.3) * c.magnitude);
    // A few groups made of edge values, some constant (zero scale), some of signed zeros.
    for (let s = 0; s < c.specials; s++) {
      const at = Math.floor(next() * count);
      const pick = special[Math.floor(next() * special.length)]!;
      const run = Math.min(count - at, 1 + Math.floor(next() * 300));
      for (let i = 0; i < run; i++) {
        values[at + i] = next() < 0.5 ? pick : special[Math.floor(next() * 2)]!;
      }
    }
    return { ...c, shape, values };
  });

describe('quantization SIMD kernels', () => {
  it('quantize and dequantize exactly as the scalar reference', () => {
    fc.assert(
      fc.property(tensorCase, ({ values, shape, axis, groupSize, scheme }) => {
        compare(values, shape, axis, groupSize, scheme);
      }),
      { numRuns: 150 },
    );
  });

  it('agree on blocks: groups batched, streamed twice when one is larger than a block, partial last groups', () => {
    const make = (count: number) =>
      Float32Array.from({ length: count }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 7)));
    // Keys of an int8 cache: one group per channel over 700 tokens (89 600 elements > a block).
    compare(make(2 * 700 * 128), [1, 2, 700, 128], 2, 700, 'int8');
    compare(make(2 * 700 * 128), [1, 2, 700, 128], 2, 700, 'int4');
    // int4 keys: 21 full groups of 32 tokens and one of 28.
    compare(make(2 * 700 * 128), [1, 2, 700, 128], 2, 32, 'int4');
    // Values: one row per token, groups along head_dim, many rows per block.
    compare(make(2 * 700 * 128), [1, 2, 700, 128], 3, 32, 'int4');
    compare(make(2 * 700 * 128), [1, 2, 700, 128], 3, 128, 'int8');
  });

  it('refuse what the reference refuses, and quantizeGroups raises the reference error', () => {
    const shape = [1, 2, 40, 64];
    const layout = groupLayout(shape, 2, 32);
    const cases: [number, number, string][] = [
      [Number.NaN, 1234, 'QUANT_NON_FINITE'],
      [Number.POSITIVE_INFINITY, 5000, 'QUANT_NON_FINITE'],
      [Number.NEGATIVE_INFINITY, 7, 'QUANT_NON_FINITE'],
      [-70000, 3000, 'QUANT_RANGE'],
      [3e38, 4000, 'QUANT_RANGE'],
    ];
    for (const axis of [2, 3]) {
      for (const [bad, at, code] of cases) {
        const values = Float32Array.from({ length: layout.count }, (_, i) => Math.cos(i));
        values[at] = bad;
        const groups = groupLayout(shape, axis, 32);
        expect(quantizeWithKernels(values, groups, 15, true, emptyGroups(groups, 'int4'))).toBe(
          false,
        );
        let error: unknown;
        try {
          quantizeGroups({ values, shape, axis, groupSize: 32, scheme: 'int4' });
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(QuantizationError);
        expect((error as QuantizationError).code).toBe(code);
        if (code === 'QUANT_NON_FINITE') expect((error as Error).message).toContain(`index ${at}`);
      }
    }
  });

  it('narrow to float16 in the arena and name the first element float16 cannot hold', () => {
    const shape = [1, 2, 64, 128];
    for (const axis of [2, 3]) {
      const layout = groupLayout(shape, axis, 32);
      expect(kernelsFit(layout)).toBe(true);
      const groups = emptyGroups(layout, 'int8');
      groups.codes.fill(200);
      // A scale of 512 takes code 200 to 102 400, beyond float16, in one group only.
      groups.scale.fill(0x3c00);
      groups.scale[3] = 0x6000;
      const halves = new Uint16Array(layout.count);
      expect(dequantizeWithKernels(groups, layout, false, halves, 0, layout.outer)).toBe(true);
      const first = halves.findIndex((h) => (h & 0x7c00) === 0x7c00);
      let error: unknown;
      try {
        dequantizeGroupsToHalves({ ...groups, shape, axis, groupSize: 32, scheme: 'int8' }, halves);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(QuantizationError);
      expect((error as QuantizationError).code).toBe('QUANT_RANGE');
      expect((error as Error).message).toContain(`Element ${first} dequantizes to 102400`);
    }
  });
});

import {
  float16Bits,
  float16Value,
  fromFloat16Bits,
  toFloat16Bits,
} from '../../src/tensor/codecFloat16';

// Inputs and the bit patterns numpy 2.4 produces for `np.array(vals).astype(np.float16)`.
const VALUES = [
  0,
  -0,
  1,
  -2.5,
  65504,
  65519.99,
  65520,
  1e5,
  -1e5,
  6.103515625e-5,
  6.0975552e-5,
  2 ** -24,
  2 ** -25,
  2 ** -25 * 1.0000001,
  1e-8,
  0.1,
  0.2,
  0.3,
  1 / 3,
  2049,
  2051,
  2050,
  1.00048828125,
  1.000732421875,
  Math.PI,
  -7.62939453125e-6,
  1.0009765625,
  0.000060975552,
];
const NUMPY_BITS = [
  0, 32768, 15360, 49408, 31743, 31743, 31744, 31744, 64512, 1024, 1023, 1, 0, 1, 0, 11878, 12902,
  13517, 13653, 26624, 26626, 26625, 15360, 15361, 16968, 32896, 15361, 1023,
];

describe('float16 conversion', () => {
  it('matches numpy from float64 and from float32', () => {
    expect(VALUES.map(float16Bits)).toEqual(NUMPY_BITS);
    expect(Array.from(toFloat16Bits(Float32Array.from(VALUES)))).toEqual(NUMPY_BITS);
  });

  it('rounds a double once, as numpy does, not twice through float32', () => {
    const x = 1 + 2 ** -11 + 2 ** -40;
    expect(float16Bits(x)).toBe(15361);
    expect(toFloat16Bits(Float32Array.of(x))[0]).toBe(15360);
  });

  it('round-trips every finite half and keeps NaN a NaN', () => {
    const all = new Uint16Array(65536);
    for (let h = 0; h < 65536; h++) all[h] = h;
    const widened = fromFloat16Bits(all);
    const back = toFloat16Bits(widened);
    for (let h = 0; h < 65536; h++) {
      const nanPattern = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
      if (nanPattern) expect(Number.isNaN(widened[h])).toBe(true);
      else if (back[h] !== h) throw new Error(`half ${h} came back as ${back[h]}`);
    }
  });

  it('sends ties to even, both for normals and subnormals', () => {
    for (let h = 0; h < 0x7bff; h++) {
      const mid = (float16Value(h) + float16Value(h + 1)) / 2;
      const even = h % 2 === 0 ? h : h + 1;
      if (float16Bits(mid) !== even) throw new Error(`tie after ${h} went to ${float16Bits(mid)}`);
      if (toFloat16Bits(Float32Array.of(mid))[0] !== even) throw new Error(`f32 tie after ${h}`);
    }
  });

  it('decodes infinities, signed zero and subnormals', () => {
    expect(float16Value(0x7c00)).toBe(Number.POSITIVE_INFINITY);
    expect(float16Value(0xfc00)).toBe(Number.NEGATIVE_INFINITY);
    expect(Object.is(float16Value(0x8000), -0)).toBe(true);
    expect(float16Value(1)).toBe(2 ** -24);
    expect(float16Value(0x3ff)).toBe(1023 * 2 ** -24);
    expect(float16Value(0x7bff)).toBe(65504);
  });
});

import {
  float16BitsViaFloat32,
  float16Value,
  narrowInto,
  narrowToHalves,
  widenHalves,
  widenInto,
} from '../../src/tensor/codecFloat16';

describe('float16 conversion through the SIMD kernels', () => {
  it('widens every float16 bit pattern to the float32 the lookup table gives', () => {
    const bits = Uint16Array.from({ length: 65536 }, (_, h) => h);
    const out = new Float32Array(bits.length);
    const firstNonFinite = widenInto(bits, out);
    const expected = Float32Array.from(bits, (h) => float16Value(h));
    expect(Buffer.from(out.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    expect(firstNonFinite).toBe(0x7c00);
  });

  it('narrows float32 of every exponent exactly as the scalar bit arithmetic', () => {
    // Every exponent, mantissas at random, signs both ways, plus round-to-even ties and
    // the edges of float16's range.
    const count = 1 << 20;
    const raw = new Uint32Array(count);
    let state = 0x9e3779b9;
    for (let i = 0; i < count; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const exponent = i % 256;
      const mantissa = i % 7 === 0 ? (state & 0x7fe000) | 0x1000 : state & 0x7fffff;
      raw[i] = (((state >>> 31) << 31) | (exponent << 23) | mantissa) >>> 0;
    }
    const edges = [0, -0, 65504, 65519.99, 65520, -65520, 2 ** -24, 2 ** -25, 3 * 2 ** -26, 6.1e-5];
    const values = new Float32Array(raw.buffer);
    values.set(edges, 1000);
    const out = new Uint16Array(count);
    const firstNonFinite = narrowInto(values, out);
    const expected = Uint16Array.from(values, (v) => float16BitsViaFloat32(v));
    expect(Buffer.from(out.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    expect(firstNonFinite).toBe(expected.findIndex((h) => (h & 0x7c00) === 0x7c00));
  });

  it('names the first non-finite element past the kernels and in the scalar tail', () => {
    const values = new Float32Array(1003).fill(1.5);
    expect(narrowToHalves(values).firstNonFinite).toBe(-1);
    values[1001] = Number.POSITIVE_INFINITY;
    expect(narrowToHalves(values).firstNonFinite).toBe(1001);
    values[700] = 70000;
    expect(narrowToHalves(values).firstNonFinite).toBe(700);
    const bits = new Uint16Array(1003).fill(0x3c00);
    expect(widenHalves(bits).firstNonFinite).toBe(-1);
    bits[1002] = 0x7e00;
    expect(widenHalves(bits).firstNonFinite).toBe(1002);
    bits[5] = 0xfc00;
    const widened = widenHalves(bits);
    expect(widened.firstNonFinite).toBe(5);
    expect(widened.values[5]).toBe(Number.NEGATIVE_INFINITY);
    expect(widened.values[0]).toBe(1);
  });
});

/**
 * IEEE half (F16) and bfloat16 (BF16) conversions. Node 20 has no Float16Array, and
 * adapters are commonly shipped in both formats, so we decode bit patterns by hand.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Decodes one IEEE 754 binary16 bit pattern. */
export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Encodes a number as binary16 with round-to-nearest-even, saturating to infinity. */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  let e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const halfway = 1 << (shift - 1);
    const rest = mantissa & ((1 << shift) - 1);
    let out = mantissa >>> shift;
    if (rest > halfway || (rest === halfway && out & 1)) out += 1;
    return sign | out;
  }
  const rest = mantissa & 0x1fff;
  let out = (e << 10) | (mantissa >>> 13);
  if (rest > 0x1000 || (rest === 0x1000 && out & 1)) out += 1;
  // A carry out of the mantissa bumps the exponent, which is the correct rounding.
  e = out >>> 10;
  return sign | (e >= 0x1f ? 0x7c00 : out);
}

/** bfloat16 is the top half of a float32, so decoding is a shift. */
export function bfloat16BitsToFloat32(bits: number): number {
  u32[0] = bits << 16;
  return f32[0]!;
}

/** Encodes a number as bfloat16 with round-to-nearest-even. */
export function float32ToBfloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  if ((x & 0x7f800000) === 0x7f800000 && x & 0x7fffff) return (x >>> 16) | 0x40;
  const rounded = x + 0x7fff + ((x >>> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}

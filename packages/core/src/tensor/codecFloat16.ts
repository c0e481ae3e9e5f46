import { narrowWithKernels, widenWithKernels } from './halvesWithKernels';

/**
 * IEEE 754 half precision, converted by bit manipulation (Node 20 has no Float16Array):
 * round-half-to-even from float32, subnormals both ways, overflow to infinity, NaN kept NaN.
 */
function roundHalfEven(q: number): number {
  const floor = Math.floor(q);
  const fraction = q - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * The float16 bit pattern nearest to `value`, rounded once from the double (going through
 * float32 first could round twice and land on the wrong neighbour of a tie).
 */
export function float16Bits(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  // 65520 is halfway between 65504 and 65536; ties go to the even pattern, infinity.
  if (a >= 65520) return sign | 0x7c00;
  // Scaling by powers of two is exact, so each step below is exact until the rounding.
  if (a < 2 ** -14) return sign | roundHalfEven(a * 2 ** 24);
  let exponent = Math.floor(Math.log2(a));
  if (2 ** exponent > a) exponent--;
  else if (2 ** (exponent + 1) <= a) exponent++;
  let mantissa = roundHalfEven((a / 2 ** exponent - 1) * 1024);
  if (mantissa === 1024) {
    mantissa = 0;
    exponent++;
  }
  if (exponent + 15 >= 0x1f) return sign | 0x7c00;
  return sign | ((exponent + 15) << 10) | mantissa;
}

function bitsOfFloat32(u: number): number {
  const sign = (u >>> 16) & 0x8000;
  const exponent = (u >>> 23) & 0xff;
  let mantissa = u & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 | (mantissa >>> 13) : 0);
  const e = exponent - 112; // rebias 127 -> 15
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let r = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    if (rest > half || (rest === half && (r & 1) === 1)) r++;
    return sign | r;
  }
  let r = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa bumps the exponent, up to infinity: that is correct rounding.
  if (rest > 0x1000 || (rest === 0x1000 && (r & 1) === 1)) r++;
  return sign | r;
}

const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

/**
 * The float16 bits of `value` rounded to float32 first, by integer arithmetic (no log or
 * pow): fast, but the double rounding may land on the other neighbour of a tie. Callers
 * that need an exact direction fix the result up against `value` (see float16Directed).
 */
export function float16BitsViaFloat32(value: number): number {
  scratchFloat[0] = value;
  return bitsOfFloat32(scratchBits[0] as number);
}

/** Half bit patterns plus the index of the first NaN or ±infinity among them (-1: none). */
export interface Halves {
  readonly bits: Uint16Array;
  readonly firstNonFinite: number;
}

/**
 * Converts many values at once and notes the first non-finite result in the same pass
 * (NaN and infinities stay so; finite values beyond ±65504 become infinite).
 */
export function narrowToHalves(values: ArrayLike<number>): Halves {
  const out = new Uint16Array(values.length);
  if (values instanceof Float32Array) return { bits: out, firstNonFinite: narrowInto(values, out) };
  let firstNonFinite = -1;
  for (let i = 0; i < values.length; i++) {
    const h = float16Bits(values[i] as number);
    out[i] = h;
    if ((h & 0x7c00) === 0x7c00 && firstNonFinite < 0) firstNonFinite = i;
  }
  return { bits: out, firstNonFinite };
}

/** Converts many values at once. */
export function toFloat16Bits(values: ArrayLike<number>): Uint16Array {
  return narrowToHalves(values).bits;
}

function valueOfBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

let table: Float32Array | undefined;

function decodeTable(): Float32Array {
  if (!table) {
    table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) table[h] = valueOfBits(h);
  }
  return table;
}

/** The value of one float16 bit pattern. */
export function float16Value(bits: number): number {
  return decodeTable()[bits & 0xffff] as number;
}

/** Widens float16 bit patterns to float32 (exact: every half is a float). */
export function fromFloat16Bits(bits: Uint16Array): Float32Array {
  return widenHalves(bits).values;
}

/** Widens and notes the first NaN or ±infinity in the same pass (-1: none). */
export function widenHalves(bits: Uint16Array): { values: Float32Array; firstNonFinite: number } {
  const values = new Float32Array(bits.length);
  return { values, firstNonFinite: widenInto(bits, values) };
}

/** Arrays shorter than this are converted by the scalar loops (a kernel call costs more). */
const KERNEL_MIN_ELEMENTS = 64;

/** The index of the first NaN or ±infinity among float16 bits from `from` on, or -1. */
function firstSpecial(bits: Uint16Array, from: number): number {
  for (let i = from; i < bits.length; i++) if (((bits[i] as number) & 0x7c00) === 0x7c00) return i;
  return -1;
}

/**
 * Widens float16 bits into an existing float32 buffer (same length) and returns the index
 * of the first NaN or ±infinity (-1: none). Lets a decoder reuse one output buffer.
 */
export function widenInto(bits: Uint16Array, out: Float32Array): number {
  const head = bits.length >= KERNEL_MIN_ELEMENTS ? bits.length - (bits.length % 4) : 0;
  const special = head > 0 && widenWithKernels(bits.subarray(0, head), out.subarray(0, head));
  const lookup = decodeTable();
  for (let i = head; i < bits.length; i++) out[i] = lookup[bits[i] as number] as number;
  return firstSpecial(bits, special ? 0 : head);
}

/**
 * Narrows float32 values into an existing half buffer (same length), with the same
 * round-half-to-even as `narrowToHalves`, and returns the index of the first non-finite
 * result (-1: none). Lets a decoder reuse one output buffer instead of allocating per call.
 */
export function narrowInto(values: Float32Array, out: Uint16Array): number {
  const head = values.length >= KERNEL_MIN_ELEMENTS ? values.length - (values.length % 4) : 0;
  const special = head > 0 && narrowWithKernels(values.subarray(0, head), out.subarray(0, head));
  const input = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = head; i < input.length; i++) out[i] = bitsOfFloat32(input[i] as number);
  return firstSpecial(out, special ? 0 : head);
}

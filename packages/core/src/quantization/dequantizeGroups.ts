import { float16Value, narrowInto } from '../tensor/codecFloat16';
import { type GroupLayout, groupLayout } from './GroupLayout';
import { QuantizationError } from './QuantizationError';
import { codeByteLength, type QuantizationScheme } from './QuantizationScheme';

export interface DequantizeGroupsInput {
  readonly codes: Uint8Array;
  /** float16 bits in C order over the group shape; finite (the caller checks). */
  readonly scale: Uint16Array;
  readonly zero: Uint16Array;
  readonly shape: readonly number[];
  readonly axis: number;
  readonly groupSize: number;
  readonly scheme: QuantizationScheme;
}

/**
 * `code · scale + zero` per element, in float32 (the product of a code and a float16 scale
 * is exact in float32 and the sum is rounded once, so this equals numpy's
 * `codes.astype(float32) * scale.astype(float32) + zero.astype(float32)` bit for bit).
 * Writes into `out`, which must hold the tensor's element count.
 */
export function dequantizeGroups(input: DequantizeGroupsInput, out: Float32Array): void {
  const layout = checkedLayout(input, out.length);
  const packed = input.scheme === 'int4';
  const slice = layout.length * layout.inner;
  for (let o = 0; o < layout.outer; o++) {
    if (layout.inner === 1) dequantizeRuns(input, layout, packed, o, out, o * slice);
    else dequantizeColumns(input, layout, packed, o, out, o * slice);
  }
}

/**
 * The same values narrowed to float16 bits (round half to even), one `[length, inner]`
 * slice at a time so the float32 intermediate stays small. A value beyond float16's range
 * is refused.
 */
export function dequantizeGroupsToHalves(input: DequantizeGroupsInput, out: Uint16Array): void {
  const layout = checkedLayout(input, out.length);
  const packed = input.scheme === 'int4';
  const slice = layout.length * layout.inner;
  const scratch = new Float32Array(slice);
  for (let o = 0; o < layout.outer; o++) {
    if (layout.inner === 1) dequantizeRuns(input, layout, packed, o, scratch, 0);
    else dequantizeColumns(input, layout, packed, o, scratch, 0);
    const bad = narrowInto(scratch, out.subarray(o * slice, (o + 1) * slice));
    if (bad >= 0) {
      throw new QuantizationError(
        'QUANT_RANGE',
        `Element ${o * slice + bad} dequantizes to ${scratch[bad]}, beyond float16.`,
      );
    }
  }
}

function checkedLayout(input: DequantizeGroupsInput, outLength: number): GroupLayout {
  const layout = groupLayout(input.shape, input.axis, input.groupSize);
  const groupCount = layout.outer * layout.groups * layout.inner;
  const codeBytes = codeByteLength(input.scheme, layout.count);
  const problem =
    input.scheme === 'int4' && layout.count % 2 !== 0
      ? `int4 needs an even element count, got ${layout.count}`
      : input.codes.length !== codeBytes
        ? `codes hold ${input.codes.length} bytes, ${input.scheme} [${input.shape.join(', ')}] needs ${codeBytes}`
        : input.scale.length !== groupCount || input.zero.length !== groupCount
          ? `scale and zero hold ${input.scale.length} and ${input.zero.length} values, the groups need ${groupCount}`
          : outLength !== layout.count
            ? `the output holds ${outLength} elements, the tensor ${layout.count}`
            : undefined;
  if (problem !== undefined)
    throw new QuantizationError('QUANT_LAYOUT', `Cannot dequantize: ${problem}.`);
  return layout;
}

function dequantizeRuns(
  input: DequantizeGroupsInput,
  layout: GroupLayout,
  packed: boolean,
  o: number,
  out: Float32Array,
  at: number,
): void {
  const { codes, scale, zero } = input;
  const { length, groupSize, groups } = layout;
  const base = o * length;
  for (let g = 0; g < groups; g++) {
    const s = float16Value(scale[o * groups + g] as number);
    const z = float16Value(zero[o * groups + g] as number);
    const start = g * groupSize;
    const end = Math.min(start + groupSize, length);
    if (packed && ((base + start) & 1) === 0 && ((base + end) & 1) === 0) {
      for (let a = start; a < end; a += 2) {
        const byte = codes[(base + a) >> 1] as number;
        out[at + a] = (byte & 15) * s + z;
        out[at + a + 1] = (byte >> 4) * s + z;
      }
    } else if (packed) {
      for (let a = start; a < end; a++) {
        const e = base + a;
        out[at + a] = (((codes[e >> 1] as number) >> ((e & 1) << 2)) & 15) * s + z;
      }
    } else {
      for (let a = start; a < end; a++) out[at + a] = (codes[base + a] as number) * s + z;
    }
  }
}

function dequantizeColumns(
  input: DequantizeGroupsInput,
  layout: GroupLayout,
  packed: boolean,
  o: number,
  out: Float32Array,
  at: number,
): void {
  const { codes, scale, zero } = input;
  const { length, inner, groupSize, groups } = layout;
  const s = new Float32Array(inner);
  const z = new Float32Array(inner);
  for (let g = 0; g < groups; g++) {
    const groupBase = (o * groups + g) * inner;
    for (let i = 0; i < inner; i++) {
      s[i] = float16Value(scale[groupBase + i] as number);
      z[i] = float16Value(zero[groupBase + i] as number);
    }
    const first = g * groupSize;
    const last = Math.min(first + groupSize, length);
    for (let a = first; a < last; a++) {
      const e0 = (o * length + a) * inner;
      const w = at + a * inner;
      if (packed && (e0 & 1) === 0 && inner % 2 === 0) {
        // Rows start on a byte: read each byte once for its two elements.
        const b0 = e0 >> 1;
        for (let i = 0; i < inner; i += 2) {
          const byte = codes[b0 + (i >> 1)] as number;
          out[w + i] = (byte & 15) * (s[i] as number) + (z[i] as number);
          out[w + i + 1] = (byte >> 4) * (s[i + 1] as number) + (z[i + 1] as number);
        }
      } else if (packed) {
        for (let i = 0; i < inner; i++) {
          const e = e0 + i;
          out[w + i] =
            (((codes[e >> 1] as number) >> ((e & 1) << 2)) & 15) * (s[i] as number) +
            (z[i] as number);
        }
      } else {
        for (let i = 0; i < inner; i++) {
          out[w + i] = (codes[e0 + i] as number) * (s[i] as number) + (z[i] as number);
        }
      }
    }
  }
}

import { kernelsFit } from '../simd/kernels';
import { narrowInto } from '../tensor/codecFloat16';
import { type GroupLayout, groupLayout } from './GroupLayout';
import { QuantizationError } from './QuantizationError';
import { codeByteLength, type QuantizationScheme } from './QuantizationScheme';
import { dequantizeScalar } from './scalar/dequantizeScalar';
import { dequantizeWithKernels } from './simd/dequantizeWithKernels';

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
  dequantizeSlices(input, layout, packed, 0, layout.outer, out);
}

/** Outer slices [o0, o1) into `out`, which starts at the first of them. */
function dequantizeSlices(
  input: DequantizeGroupsInput,
  layout: GroupLayout,
  packed: boolean,
  o0: number,
  o1: number,
  out: Float32Array,
): void {
  if (kernelsFit(layout)) {
    dequantizeWithKernels(input, layout, packed, out, o0, o1);
    return;
  }
  const slice = layout.length * layout.inner;
  for (let o = o0; o < o1; o++) dequantizeScalar(input, layout, packed, o, out, (o - o0) * slice);
}

/**
 * The same values narrowed to float16 bits (round half to even). The kernels narrow each
 * block in their arena, so no float32 copy of the tensor is made; other layouts go a few
 * `[length, inner]` slices at a time through a small float32 scratch. A value beyond
 * float16's range is refused.
 */
export function dequantizeGroupsToHalves(input: DequantizeGroupsInput, out: Uint16Array): void {
  const layout = checkedLayout(input, out.length);
  const packed = input.scheme === 'int4';
  if (kernelsFit(layout) && !dequantizeWithKernels(input, layout, packed, out, 0, layout.outer))
    return;
  const slice = layout.length * layout.inner;
  const per = Math.max(1, Math.floor(HALVES_SCRATCH_ELEMENTS / slice));
  const scratch = new Float32Array(Math.min(per, layout.outer) * slice);
  for (let o0 = 0; o0 < layout.outer; o0 += per) {
    const o1 = Math.min(o0 + per, layout.outer);
    const n = (o1 - o0) * slice;
    const values = scratch.subarray(0, n);
    dequantizeSlices(input, layout, packed, o0, o1, values);
    const bad = narrowInto(values, out.subarray(o0 * slice, o0 * slice + n));
    if (bad >= 0) {
      throw new QuantizationError(
        'QUANT_RANGE',
        `Element ${o0 * slice + bad} dequantizes to ${values[bad]}, beyond float16.`,
      );
    }
  }
}

/** float32 elements dequantizeGroupsToHalves holds at once (at least one slice). */
const HALVES_SCRATCH_ELEMENTS = 65536;

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

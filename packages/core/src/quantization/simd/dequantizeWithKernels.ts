import { BLOCK_ELEMENTS, type Kernels, kernels } from '../../simd/kernels';
import type { GroupCodes } from '../GroupCodes';
import type { GroupLayout } from '../GroupLayout';
import { columnBatches } from './columnBatches';

/**
 * dequantizeGroups' loops run by the SIMD kernels for a layout that `kernelsFit`: the
 * elements of outer indices [o0, o1) into `out` (which starts at element
 * `o0 · length · inner`), block by block through the kernels' arena. A `Uint16Array` gets
 * float16 bits, each block narrowed in the arena (no float32 copy of the tensor is made);
 * the result says whether a narrowed value is NaN or infinite. Scales and zero points must
 * be finite (the caller checked).
 */
export function dequantizeWithKernels(
  input: GroupCodes,
  layout: GroupLayout,
  packed: boolean,
  out: Float32Array | Uint16Array,
  o0: number,
  o1: number,
): boolean {
  const k = kernels();
  let nonFinite = false;
  const emit: Emit =
    out instanceof Float32Array
      ? (n, at) => out.set(k.floatsView.subarray(0, n), at)
      : (n, at) => {
          if (k.narrow(n) !== 0) nonFinite = true;
          out.set(k.halvesView.subarray(0, n), at);
        };
  if (layout.inner === 1) dequantizeRuns(k, input, layout, packed, emit, o0, o1);
  else dequantizeColumns(k, input, layout, packed, emit, o0, o1);
  return nonFinite;
}

/** Moves the arena's first `n` dequantized floats to the output at element `at`. */
type Emit = (n: number, at: number) => void;

function dequantizeRuns(
  k: Kernels,
  input: GroupCodes,
  layout: GroupLayout,
  packed: boolean,
  emit: Emit,
  o0: number,
  o1: number,
): void {
  const { length, groupSize, groups } = layout;
  const shift = packed ? 1 : 0;
  const rowsPer = Math.floor(BLOCK_ELEMENTS / length);
  const base = o0 * length;
  for (let r0 = o0; r0 < o1; r0 += rowsPer) {
    const rows = Math.min(rowsPer, o1 - r0);
    const e0 = r0 * length;
    const n = rows * length;
    k.codesView.set(input.codes.subarray(e0 >> shift, (e0 + n) >> shift));
    const g0 = r0 * groups;
    const ng = rows * groups;
    k.scaleView.set(input.scale.subarray(g0, g0 + ng));
    k.zeroView.set(input.zero.subarray(g0, g0 + ng));
    k.runsDequantize(rows, length, groupSize, shift);
    emit(n, e0 - base);
  }
}

function dequantizeColumns(
  k: Kernels,
  input: GroupCodes,
  layout: GroupLayout,
  packed: boolean,
  emit: Emit,
  o0: number,
  o1: number,
): void {
  const { length, inner, groupSize, groups } = layout;
  const shift = packed ? 1 : 0;
  const base = o0 * length * inner;
  const rowsPer = Math.floor(BLOCK_ELEMENTS / inner);
  const load = (e0: number, n: number, at: number, count: number) => {
    k.codesView.set(input.codes.subarray(e0 >> shift, (e0 + n) >> shift));
    k.scaleView.set(input.scale.subarray(at, at + count * inner));
    k.zeroView.set(input.zero.subarray(at, at + count * inner));
  };
  for (const batch of columnBatches(layout, BLOCK_ELEMENTS, o0, o1)) {
    const { o, g0, count, rowsEach, streamed } = batch;
    const first = g0 * groupSize;
    const at = (o * groups + g0) * inner;
    if (!streamed) {
      const e0 = (o * length + first) * inner;
      const n = count * rowsEach * inner;
      load(e0, n, at, count);
      k.colsDequantize(count, rowsEach, inner, shift);
      emit(n, e0 - base);
      continue;
    }
    const last = first + rowsEach;
    for (let a = first; a < last; a += rowsPer) {
      const rows = Math.min(rowsPer, last - a);
      const e0 = (o * length + a) * inner;
      const n = rows * inner;
      load(e0, n, at, 1);
      if (a === first) k.colsWiden(inner, 0);
      k.colsDecode(k.codes.value, rows, inner, shift, k.floats.value);
      emit(n, e0 - base);
    }
  }
}

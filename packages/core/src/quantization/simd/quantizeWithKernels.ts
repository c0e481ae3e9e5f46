import { BLOCK_ELEMENTS, type Kernels, kernels } from '../../simd/kernels';
import type { GroupCodes } from '../GroupCodes';
import type { GroupLayout } from '../GroupLayout';
import { columnBatches } from './columnBatches';

/**
 * quantizeGroups' loops run by the SIMD kernels, block by block through their arena, for a
 * layout that `kernelsFit`. Returns false at the first group the kernels refuse (a
 * non-finite value, a range float16 cannot hold), leaving `out` partly written: the caller
 * then runs the reference, which raises the precise error.
 */
export function quantizeWithKernels(
  values: Float32Array,
  layout: GroupLayout,
  levels: number,
  packed: boolean,
  out: GroupCodes,
): boolean {
  const k = kernels();
  return layout.inner === 1
    ? quantizeRuns(k, values, layout, levels, packed, out)
    : quantizeColumns(k, values, layout, levels, packed, out);
}

function quantizeRuns(
  k: Kernels,
  values: Float32Array,
  layout: GroupLayout,
  levels: number,
  packed: boolean,
  out: GroupCodes,
): boolean {
  const { outer, length, groupSize, groups } = layout;
  const shift = packed ? 1 : 0;
  const rowsPer = Math.floor(BLOCK_ELEMENTS / length);
  for (let r0 = 0; r0 < outer; r0 += rowsPer) {
    const rows = Math.min(rowsPer, outer - r0);
    const e0 = r0 * length;
    const n = rows * length;
    k.floatsView.set(values.subarray(e0, e0 + n));
    if (k.runsQuantize(rows, length, groupSize, levels, shift) >= 0) return false;
    out.codes.set(k.codesView.subarray(0, n >> shift), e0 >> shift);
    const ng = rows * groups;
    out.scale.set(k.scaleView.subarray(0, ng), r0 * groups);
    out.zero.set(k.zeroView.subarray(0, ng), r0 * groups);
  }
  return true;
}

function quantizeColumns(
  k: Kernels,
  values: Float32Array,
  layout: GroupLayout,
  levels: number,
  packed: boolean,
  out: GroupCodes,
): boolean {
  const { length, inner, groupSize, groups } = layout;
  const shift = packed ? 1 : 0;
  const floats = k.floats.value;
  const copyBits = (group: number, count: number) => {
    out.scale.set(k.scaleView.subarray(0, count * inner), group * inner);
    out.zero.set(k.zeroView.subarray(0, count * inner), group * inner);
  };
  const rowsPer = Math.floor(BLOCK_ELEMENTS / inner);
  for (const { o, g0, count, rowsEach, streamed } of columnBatches(layout, BLOCK_ELEMENTS)) {
    const first = g0 * groupSize;
    if (!streamed) {
      const e0 = (o * length + first) * inner;
      const n = count * rowsEach * inner;
      k.floatsView.set(values.subarray(e0, e0 + n));
      if (k.colsQuantize(count, rowsEach, inner, levels, shift) >= 0) return false;
      out.codes.set(k.codesView.subarray(0, n >> shift), e0 >> shift);
      copyBits(o * groups + g0, count);
      continue;
    }
    // One group larger than a block: its range over every row block, then its codes.
    const last = first + rowsEach;
    for (let a = first; a < last; a += rowsPer) {
      const rows = Math.min(rowsPer, last - a);
      const e0 = (o * length + a) * inner;
      k.floatsView.set(values.subarray(e0, e0 + rows * inner));
      if (k.colsRange(floats, rows, inner, a === first ? 1 : 0) !== 0) return false;
    }
    if (k.colsParameters(inner, levels, 0) >= 0) return false;
    copyBits(o * groups + g0, 1);
    for (let a = first; a < last; a += rowsPer) {
      const rows = Math.min(rowsPer, last - a);
      const e0 = (o * length + a) * inner;
      const n = rows * inner;
      k.floatsView.set(values.subarray(e0, e0 + n));
      k.colsEncode(floats, rows, inner, levels, shift, k.codes.value);
      out.codes.set(k.codesView.subarray(0, n >> shift), e0 >> shift);
    }
  }
  return true;
}

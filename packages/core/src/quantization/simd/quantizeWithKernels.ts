import { BLOCK_ELEMENTS, type Kernels, kernels } from '../../simd/kernels';
import type { GroupCodes } from '../GroupCodes';
import type { GroupLayout } from '../GroupLayout';

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
  const { outer, length, inner, groupSize, groups } = layout;
  const shift = packed ? 1 : 0;
  const floats = k.floats.value;
  const codes = k.codes.value;
  const copyBits = (group: number, count: number) => {
    out.scale.set(k.scaleView.subarray(0, count * inner), group * inner);
    out.zero.set(k.zeroView.subarray(0, count * inner), group * inner);
  };
  // Several whole groups per block when a group fits, else one group streamed twice.
  const groupsPer = Math.floor(BLOCK_ELEMENTS / (groupSize * inner));
  const rowsPer = Math.floor(BLOCK_ELEMENTS / inner);
  for (let o = 0; o < outer; o++) {
    for (let g0 = 0; g0 < groups; ) {
      const first = g0 * groupSize;
      if (groupsPer >= 1) {
        const full = Math.floor((length - first) / groupSize);
        const count = full === 0 ? 1 : Math.min(groupsPer, full);
        const rowsEach = full === 0 ? length - first : groupSize;
        const e0 = (o * length + first) * inner;
        const n = count * rowsEach * inner;
        k.floatsView.set(values.subarray(e0, e0 + n));
        if (k.colsQuantize(count, rowsEach, inner, levels, shift) >= 0) return false;
        out.codes.set(k.codesView.subarray(0, n >> shift), e0 >> shift);
        copyBits(o * groups + g0, count);
        g0 += count;
        continue;
      }
      const last = Math.min(first + groupSize, length);
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
        k.colsEncode(floats, rows, inner, levels, shift, codes);
        out.codes.set(k.codesView.subarray(0, n >> shift), e0 >> shift);
      }
      g0 += 1;
    }
  }
  return true;
}

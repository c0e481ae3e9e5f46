import { groupLayout } from '../quantization/GroupLayout';
import { type EncodedKvTensor, isQuantized } from './CondensedPayload';
import type { RawTensor } from './TensorLeaf';

/** One slab of a KV half: elements [offset, offset + count) in C order, as a tensor of its own. */
export interface KvTensorSlab {
  readonly offset: number;
  readonly count: number;
  readonly tensor: EncodedKvTensor;
}

/**
 * Cuts an encoded KV half into consecutive slabs of at most `maxElements` elements each, so
 * it can be decoded a slab at a time into a small buffer. The slabs are views of the half's
 * bytes (nothing is copied). A quantized half is cut between groups: whole outer slices
 * (the axes before the quantized one) when one fits, else bands of whole groups within a
 * slice, so every slab carries the scales and zero points of exactly its own elements.
 * A slab exceeds `maxElements` only when one group (or, for int4 with odd-sized slices or
 * groups, one slice) is larger. Float halves are cut anywhere.
 */
export function* kvTensorSlabs(
  tensor: EncodedKvTensor,
  maxElements: number,
): Generator<KvTensorSlab> {
  if (!isQuantized(tensor)) {
    yield* floatSlabs(tensor, maxElements);
    return;
  }
  const layout = groupLayout(tensor.shape, tensor.axis, tensor.group_size);
  const { outer, length, inner, groupSize, groups } = layout;
  const packed = tensor.quantization === 'int4';
  const slice = length * inner;
  // int4 bands must start on a byte: every slice and every group an even element count.
  const bands = !packed || (slice % 2 === 0 && (groupSize * inner) % 2 === 0);
  if (slice <= maxElements || !bands) {
    let per = Math.max(1, Math.floor(maxElements / slice));
    if (packed && slice % 2 !== 0) per = Math.max(2, per - (per % 2));
    for (let o0 = 0; o0 < outer; o0 += per) {
      const o1 = Math.min(o0 + per, outer);
      yield {
        offset: o0 * slice,
        count: (o1 - o0) * slice,
        tensor: quantizedPart(tensor, [o1 - o0, ...tensor.shape.slice(tensor.axis)], 1, {
          codes: [o0 * slice, o1 * slice],
          groups: [o0 * groups * inner, o1 * groups * inner],
        }),
      };
    }
    return;
  }
  const bandsPer = Math.max(1, Math.floor(maxElements / (groupSize * inner)));
  for (let o = 0; o < outer; o++) {
    for (let g0 = 0; g0 < groups; g0 += bandsPer) {
      const g1 = Math.min(g0 + bandsPer, groups);
      const rows = Math.min(g1 * groupSize, length) - g0 * groupSize;
      const offset = (o * length + g0 * groupSize) * inner;
      yield {
        offset,
        count: rows * inner,
        tensor: quantizedPart(tensor, [1, rows, inner], 1, {
          codes: [offset, offset + rows * inner],
          groups: [(o * groups + g0) * inner, (o * groups + g1) * inner],
        }),
      };
    }
  }
}

/** The part of a quantized half covering the given element and group ranges. */
function quantizedPart(
  tensor: Extract<EncodedKvTensor, { quantization: unknown }>,
  shape: number[],
  axis: number,
  range: { codes: [number, number]; groups: [number, number] },
): EncodedKvTensor {
  const shift = tensor.quantization === 'int4' ? 1 : 0;
  const [e0, e1] = range.codes;
  const [g0, g1] = range.groups;
  const bytes = (raw: RawTensor, from: number, to: number, shape: number[]): RawTensor => ({
    ...raw,
    shape,
    data: raw.data.subarray(from, to),
  });
  const groupShape = [g1 - g0];
  return {
    ...tensor,
    shape,
    axis,
    codes: bytes(tensor.codes, e0 >> shift, e1 >> shift, [(e1 - e0) >> shift]),
    scale: bytes(tensor.scale, g0 * 2, g1 * 2, groupShape),
    zero: bytes(tensor.zero, g0 * 2, g1 * 2, groupShape),
  };
}

function* floatSlabs(tensor: RawTensor, maxElements: number): Generator<KvTensorSlab> {
  const count = tensor.shape.reduce((n, d) => n * d, 1);
  const size = tensor.data.byteLength / Math.max(1, count);
  for (let offset = 0; offset < count; offset += maxElements) {
    const n = Math.min(maxElements, count - offset);
    yield {
      offset,
      count: n,
      tensor: {
        ...tensor,
        shape: [n],
        data: tensor.data.subarray(offset * size, (offset + n) * size),
      },
    };
  }
}

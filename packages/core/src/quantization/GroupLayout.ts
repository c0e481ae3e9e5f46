import { QuantizationError } from './QuantizationError';

/**
 * A C-order tensor seen as `[outer, length, inner]` around its quantized `axis`, with that
 * axis cut into groups of `groupSize` (the last group may be shorter). One scale and one
 * zero point cover each (outer, group, inner) triple, stored in C order as a tensor of the
 * same rank whose `axis` dimension is the group count.
 */
export interface GroupLayout {
  readonly outer: number;
  readonly length: number;
  readonly inner: number;
  readonly groupSize: number;
  readonly groups: number;
  /** Elements of the tensor. */
  readonly count: number;
  /** Shape of the scale and zero-point tensors. */
  readonly groupShape: readonly number[];
}

export function groupLayout(
  shape: readonly number[],
  axis: number,
  groupSize: number,
): GroupLayout {
  if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length) {
    throw new QuantizationError(
      'QUANT_LAYOUT',
      `Axis ${axis} is not an axis of [${shape.join(', ')}].`,
    );
  }
  if (!Number.isSafeInteger(groupSize) || groupSize < 1) {
    throw new QuantizationError(
      'QUANT_LAYOUT',
      `Group size ${groupSize} is not a positive integer.`,
    );
  }
  if (!shape.every((d) => Number.isSafeInteger(d) && d > 0)) {
    throw new QuantizationError(
      'QUANT_LAYOUT',
      `Shape [${shape.join(', ')}] has an empty or invalid dimension.`,
    );
  }
  const length = shape[axis] as number;
  const groups = Math.ceil(length / groupSize);
  const outer = shape.slice(0, axis).reduce((n, d) => n * d, 1);
  const inner = shape.slice(axis + 1).reduce((n, d) => n * d, 1);
  const groupShape = shape.map((d, i) => (i === axis ? groups : d));
  return { outer, length, inner, groupSize, groups, count: outer * length * inner, groupShape };
}

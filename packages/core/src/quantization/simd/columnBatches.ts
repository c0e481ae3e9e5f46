import type { GroupLayout } from '../GroupLayout';

/**
 * One step of the kernels' walk over the column groups of an outer slice: `count`
 * consecutive groups of `rowsEach` rows that fit one block together, or (`streamed`) a
 * single group larger than a block, which the caller feeds through in row blocks.
 */
export interface ColumnBatch {
  readonly o: number;
  /** The first group's index along the axis. */
  readonly g0: number;
  readonly count: number;
  readonly rowsEach: number;
  readonly streamed: boolean;
}

/**
 * The batches of a layout with `inner > 1` over outer slices [o0, o1), in C order, for
 * blocks of `blockElements`.
 */
export function* columnBatches(
  layout: GroupLayout,
  blockElements: number,
  o0 = 0,
  o1 = layout.outer,
): Generator<ColumnBatch> {
  const { length, inner, groupSize, groups } = layout;
  const groupsPer = Math.floor(blockElements / (groupSize * inner));
  for (let o = o0; o < o1; o++) {
    for (let g0 = 0; g0 < groups; ) {
      const first = g0 * groupSize;
      if (groupsPer === 0) {
        yield { o, g0, count: 1, rowsEach: Math.min(groupSize, length - first), streamed: true };
        g0 += 1;
        continue;
      }
      const full = Math.floor((length - first) / groupSize);
      const count = full === 0 ? 1 : Math.min(groupsPer, full);
      const rowsEach = full === 0 ? length - first : groupSize;
      yield { o, g0, count, rowsEach, streamed: false };
      g0 += count;
    }
  }
}

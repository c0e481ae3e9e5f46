/** Rows of different lengths, left-padded to the longest, with the matching 0/1 mask. */
export interface PaddedBatch {
  ids: number[][];
  mask: Uint8Array;
  seq: number;
}

/** Left-pads rows so that every row's last real token sits at the same, final position. */
export function leftPad(rows: readonly (readonly number[])[], padId: number): PaddedBatch {
  const seq = Math.max(0, ...rows.map((r) => r.length));
  const mask = new Uint8Array(rows.length * seq);
  const ids = rows.map((row, b) => {
    const pad = seq - row.length;
    mask.fill(1, b * seq + pad, (b + 1) * seq);
    return [...Array<number>(pad).fill(padId), ...row];
  });
  return { ids, mask, seq };
}

import { keptCount } from '../presses/keptCount';
import { SoftInputError } from './SoftInputError';

/** Row-major `[rows, hidden]` float32 embeddings. */
export interface Embeddings {
  readonly data: Float32Array;
  readonly rows: number;
  readonly hidden: number;
}

/**
 * How to pool: a fixed `chunk` of consecutive rows per output row (the last chunk may be
 * shorter), or a compression `ratio`, which yields exactly `keptCount(n, ratio)` rows from
 * contiguous chunks whose sizes differ by at most one (a fixed chunk can only hit ratios
 * of the form 1 − 1/c).
 */
export type PoolBy = { chunk: number } | { ratio: number };

/**
 * Soft tokens by chunked mean pooling: every output row is the mean of a run of consecutive
 * input embeddings, in order. A baseline for models that accept `inputs_embeds`.
 */
export function poolEmbeddings(embeddings: Embeddings, by: PoolBy): Embeddings {
  const { data, rows, hidden } = embeddings;
  if (!(data instanceof Float32Array))
    throw new SoftInputError('Embeddings must hold a Float32Array.');
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(hidden) || hidden < 1) {
    throw new SoftInputError(
      `Embeddings have a bad shape [${rows}, ${hidden}].`,
      'Both dimensions must be positive integers.',
    );
  }
  if (data.length !== rows * hidden) {
    throw new SoftInputError(
      `Embeddings hold ${data.length} values but [${rows}, ${hidden}] needs ${rows * hidden}.`,
    );
  }
  const bounds = chunkBounds(rows, by);
  const out = new Float32Array(bounds.length * hidden);
  const sum = new Float64Array(hidden);
  bounds.forEach(([start, end], row) => {
    sum.fill(0);
    for (let r = start; r < end; r++) {
      const base = r * hidden;
      for (let d = 0; d < hidden; d++) sum[d]! += data[base + d]!;
    }
    const size = end - start;
    for (let d = 0; d < hidden; d++) out[row * hidden + d] = sum[d]! / size;
  });
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) {
      throw new SoftInputError(
        `Pooled row ${Math.floor(i / hidden)} is not finite.`,
        'The embeddings hold NaN or infinite values.',
      );
    }
  }
  return { data: out, rows: bounds.length, hidden };
}

/** The `[start, end)` input rows of each output row. */
export function chunkBounds(rows: number, by: PoolBy): Array<[number, number]> {
  if ('chunk' in by) {
    const { chunk } = by;
    if (!Number.isInteger(chunk) || chunk < 1) {
      throw new SoftInputError(`Pooling chunk must be a positive integer, got ${chunk}.`);
    }
    const bounds: Array<[number, number]> = [];
    for (let start = 0; start < rows; start += chunk)
      bounds.push([start, Math.min(rows, start + chunk)]);
    return bounds;
  }
  const outputs = keptCount(rows, by.ratio);
  return Array.from({ length: outputs }, (_, i): [number, number] => [
    Math.floor((i * rows) / outputs),
    Math.floor(((i + 1) * rows) / outputs),
  ]);
}

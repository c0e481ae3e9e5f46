import { PressInputError } from './PressInputError';

/**
 * The positions of the `k` highest scores in `scores`, ascending. Ties at the cut are broken
 * in favour of later positions: recency is the better prior for a language model, and it makes
 * the result independent of the sort's stability.
 *
 * Finds the k-th largest value with a native numeric sort of a copy (much faster in V8 than an
 * index sort with a comparator), then takes everything above it plus the latest ties.
 */
export function selectTopK(scores: Float32Array, k: number, where: string): Int32Array {
  const n = scores.length;
  const out = new Int32Array(k);
  if (k === n) {
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(scores[i]!)) throw nanError(where, i);
      out[i] = i;
    }
    return out;
  }
  const sorted = scores.slice().sort();
  if (Number.isNaN(sorted[n - 1]!)) throw nanError(where, scores.findIndex(Number.isNaN));
  const threshold = sorted[n - k]!;
  let above = 0;
  for (let i = n - k; i < n; i++) if (sorted[i]! > threshold) above++;
  let ties = k - above;
  let firstTie = n;
  for (let i = n - 1; i >= 0 && ties > 0; i--) {
    if (scores[i] === threshold) {
      ties--;
      firstTie = i;
    }
  }
  let next = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (s > threshold || (s === threshold && i >= firstTie)) out[next++] = i;
  }
  return out;
}

function nanError(where: string, position: number): PressInputError {
  return new PressInputError(
    `${where} has a NaN score at position ${position}.`,
    'Scores must be numbers; NaN usually means NaN in the keys.',
  );
}

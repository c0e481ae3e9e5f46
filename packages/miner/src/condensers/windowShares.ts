import { PressInputError } from '../presses/PressInputError';

/**
 * How many of `kept` positions each window of `window` tokens (the last one shorter) keeps:
 * in proportion to its length, rounded by largest remainder (earlier windows first on ties)
 * so the shares add up to `kept` exactly and none exceeds its window.
 */
export function windowShares(length: number, window: number, kept: number): number[] {
  if (!Number.isInteger(kept) || kept < 0 || kept > length) {
    throw new PressInputError(`Cannot keep ${kept} of ${length} positions.`);
  }
  const windows = Math.ceil(length / window);
  const sizes = Array.from({ length: windows }, (_, i) => Math.min(window, length - i * window));
  const exact = sizes.map((size) => (size * kept) / length);
  const shares = exact.map(Math.floor);
  const order = exact
    .map((value, i) => ({ i, rest: value - Math.floor(value) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  let missing = kept - shares.reduce((sum, share) => sum + share, 0);
  for (const { i } of order) {
    if (missing === 0) break;
    if (shares[i]! < sizes[i]!) {
      shares[i]! += 1;
      missing--;
    }
  }
  return shares;
}

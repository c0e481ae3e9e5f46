import { InvalidRatioError } from './InvalidRatioError';
import { PressInputError } from './PressInputError';

/** Throws unless `ratio` is a finite number with 0 <= ratio < 1 (the fraction removed). */
export function assertRatio(ratio: number): void {
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < 0 || ratio >= 1) {
    throw new InvalidRatioError(ratio);
  }
}

/**
 * How many of `length` items survive compression at `ratio` (the fraction removed).
 *
 * `length × (1 − ratio)` rounded to the nearest integer, halves rounding up, then clamped to
 * [1, length]. Rounding to nearest (kvpress floors) keeps the promised size within half a
 * token of the exact product; halves go up so we never compress more than asked; the floor
 * of 1 keeps a non-empty context non-empty. The product is first rounded to 9 decimals so
 * binary noise (10 × 0.3 = 3.0000000000000004) cannot flip a half.
 */
export function keptCount(length: number, ratio: number): number {
  assertRatio(ratio);
  if (!Number.isInteger(length) || length < 0) {
    throw new PressInputError(`A length must be a non-negative integer, got ${length}.`);
  }
  if (length === 0) return 0;
  const exact = Math.round(length * (1 - ratio) * 1e9) / 1e9;
  return Math.min(length, Math.max(1, Math.floor(exact + 0.5)));
}

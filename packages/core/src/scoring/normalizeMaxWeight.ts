import { checkWeights } from './checkWeights';
import { ScoringError } from './ScoringError';

/** bittensor's own slack so the cut-off weights land just under the limit. */
const EPSILON = 1e-7;

/**
 * bittensor's `normalize_max_weight`: rescales `weights` to sum to 1 while capping every
 * weight at `limit`, by clipping the largest ones to a common cut-off. When the cap cannot
 * be met (`n * limit <= 1`) or every weight is zero, the result is uniform, as in Python;
 * also when the cut-off falls to 0 or below (every weight clipped alike), where Python can
 * answer NaN.
 */
export function normalizeMaxWeight(weights: readonly number[], limit: number): number[] {
  checkWeights(weights);
  if (Number.isNaN(limit) || limit < 0) {
    throw new ScoringError('WEIGHT_LIMIT_INVALID', `Max-weight limit is ${limit}.`, {
      details: 'The limit must be a non-negative number (the chain sends MaxWeightsLimit / 65535).',
    });
  }
  const n = weights.length;
  if (n === 0) return [];
  const total = sum(weights);
  if (total === 0 || n * limit <= 1) return weights.map(() => 1 / n);

  const values = [...weights].sort((a, b) => a - b);
  const estimation = values.map((value) => value / total);
  // `values` is sorted, so its last estimate is the largest.
  if (estimation[n - 1]! <= limit) return weights.map((weight) => weight / total);

  const cumsum: number[] = [];
  let running = 0;
  for (const e of estimation) {
    running += e;
    cumsum.push(running);
  }
  // How many of the smallest weights stay below the limit once the larger ones are clipped.
  let kept = 0;
  estimation.forEach((e, i) => {
    if (e / ((n - i - 1) * e + cumsum[i]! + EPSILON) < limit) kept++;
  });
  // Python indexes cumsum[kept - 1], which wraps to the last element when kept is 0.
  const below = cumsum.at(kept - 1)!;
  const cutoff = ((limit * below - EPSILON) / (1 - limit * (n - kept))) * total;
  // A cut-off at or below 0 clips every weight to it, so the result is uniform. Python divides
  // n equal clipped weights by their sum instead, which gives NaN (0/0) when the cut-off
  // underflows to ±0: a negative one times a subnormal total, e.g. [0, 5e-324] at limit 0.5+.
  if (cutoff <= 0) return weights.map(() => 1 / n);

  const clipped = weights.map((weight) => Math.min(weight, cutoff));
  const clippedTotal = sum(clipped);
  return clipped.map((weight) => weight / clippedTotal);
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

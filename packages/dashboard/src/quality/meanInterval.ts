/**
 * Student's t quantiles at 0.975 for 1…30 degrees of freedom; beyond 30 the normal 1.96 is
 * within 2 % of t. A table of 30 constants is all a 95 % interval needs, so no statistics
 * library is pulled into the browser bundle for it.
 */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042,
];

export interface MeanInterval {
  mean: number;
  low: number;
  high: number;
  n: number;
}

/**
 * The mean of values in [0, 1] with its two-sided 95 % t-interval, clamped to [0, 1]. One
 * value has no spread to estimate: its interval is the point itself.
 */
export function meanInterval(values: readonly number[]): MeanInterval {
  const n = values.length;
  if (n === 0) throw new RangeError('meanInterval needs at least one value');
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  if (n === 1) return { mean, low: mean, high: mean, n };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  const t = T975[n - 2] ?? 1.96;
  const half = t * Math.sqrt(variance / n);
  return { mean, low: Math.max(0, mean - half), high: Math.min(1, mean + half), n };
}

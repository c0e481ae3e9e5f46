/** Two-sided 95 % quantiles of Student's t for 1–30 degrees of freedom (standard table values). */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042,
];

/**
 * Mean of `samples` and the half-width of its 95 % confidence interval (Student's t over
 * the sample standard deviation; the normal quantile beyond 30 degrees of freedom, 0 for one
 * sample, where no spread is observed).
 */
export function meanWithCi95(samples: readonly number[]): { mean: number; ci95: number } {
  const n = samples.length;
  const mean = samples.reduce((sum, x) => sum + x, 0) / n;
  if (n < 2) return { mean, ci95: 0 };
  const variance = samples.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1);
  const t = T_975[n - 2] ?? 1.96;
  return { mean, ci95: (t * Math.sqrt(variance)) / Math.sqrt(n) };
}

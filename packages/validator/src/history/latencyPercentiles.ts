import type { LatencyPercentiles } from '@signal/dashboard';

/** Nearest-rank percentiles of round-trip latencies; null for none. */
export function latencyPercentiles(latencies: readonly number[]): LatencyPercentiles | null {
  if (latencies.length === 0) return null;
  const sorted = [...latencies].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { p50: rank(50), p90: rank(90), p99: rank(99), count: sorted.length };
}

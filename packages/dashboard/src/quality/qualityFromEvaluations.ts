import type { QualityMethod, QualityView } from '../api/QualityView';
import { meanInterval } from './meanInterval';

/** One evaluated response: which method made it, how much it removed, what it kept. */
export interface QualitySample {
  family: string;
  method: string;
  /** Fraction of the context removed. */
  ratio: number;
  accuracy: number;
}

/**
 * The Quality page from a validator's own evaluations: per family and method, the responses
 * grouped by compression ratio (rounded to `binWidth`), each group's mean accuracy with its
 * 95 % interval. Methods and families come out sorted by name, points by ratio.
 */
export function qualityFromEvaluations(
  samples: readonly QualitySample[],
  { binWidth = 0.05, now = Date.now() }: { binWidth?: number; now?: number } = {},
): QualityView {
  const groups = new Map<string, Map<string, Map<number, number[]>>>();
  for (const sample of samples) {
    const bin = Math.min(1, Math.max(0, Math.round(sample.ratio / binWidth) * binWidth));
    const ratio = Number(bin.toFixed(6));
    const methods = groups.get(sample.family) ?? new Map<string, Map<number, number[]>>();
    groups.set(sample.family, methods);
    const bins = methods.get(sample.method) ?? new Map<number, number[]>();
    methods.set(sample.method, bins);
    const values = bins.get(ratio) ?? [];
    bins.set(ratio, values);
    values.push(sample.accuracy);
  }
  const byName = <T>(entries: Iterable<[string, T]>) =>
    [...entries].sort(([a], [b]) => a.localeCompare(b));
  return {
    source: { kind: 'validator', evaluations: samples.length },
    families: byName(groups.entries()).map(([family, methods]) => ({
      family,
      methods: byName(methods.entries()).map(
        ([method, bins]): QualityMethod => ({
          method,
          query_agnostic: null,
          points: [...bins.entries()]
            .sort(([a], [b]) => a - b)
            .map(([ratio, values]) => {
              const interval = meanInterval(values);
              return {
                ratio,
                accuracy: interval.mean,
                low: interval.low,
                high: interval.high,
                n: interval.n,
              };
            }),
        }),
      ),
    })),
    generated_at: now,
  };
}

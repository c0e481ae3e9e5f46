import { ScoringError } from './ScoringError';

export interface EmaOptions {
  /** Weight kept by the previous value; 0.9 means `S ← 0.9·S + 0.1·score`. */
  decay?: number | undefined;
}

export const DEFAULT_EMA_DECAY = 0.9;

/** One step of the exponential moving average a validator keeps per miner. */
export function ema(previous: number, score: number, options: EmaOptions = {}): number {
  const decay = options.decay ?? DEFAULT_EMA_DECAY;
  for (const [name, value] of [
    ['previous', previous],
    ['score', score],
  ] as const) {
    if (!Number.isFinite(value)) {
      throw new ScoringError('SCORES_INVALID', `EMA ${name} value is ${value}.`);
    }
  }
  if (!(decay >= 0 && decay <= 1)) {
    throw new ScoringError('SCORES_INVALID', `EMA decay is ${decay}, expected a number in [0, 1].`);
  }
  // Written as a step towards the new score, then clamped, so rounding can never carry the
  // average outside the two values it mixes.
  const next = previous + (1 - decay) * (score - previous);
  return Math.min(Math.max(next, Math.min(previous, score)), Math.max(previous, score));
}

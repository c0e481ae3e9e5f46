import { ScoringError } from './ScoringError';

/** Refuses weights that cannot be normalised: NaN, infinities and negatives, naming the index. */
export function checkWeights(weights: readonly number[]): void {
  weights.forEach((weight, index) => {
    if (!Number.isFinite(weight)) {
      throw new ScoringError('WEIGHTS_NOT_FINITE', `Weight ${index} is ${weight}.`, {
        details: 'Weights must be finite numbers.',
      });
    }
    if (weight < 0) {
      throw new ScoringError(
        'WEIGHTS_NEGATIVE',
        `Weight ${index} is negative (${weight}) and cannot exist on chain.`,
      );
    }
  });
}

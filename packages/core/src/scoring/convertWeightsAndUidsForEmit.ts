import { checkWeights } from './checkWeights';
import { roundHalfEven } from './roundHalfEven';
import { ScoringError } from './ScoringError';

export const U16_MAX = 65_535;

/**
 * bittensor's `convert_weights_and_uids_for_emit`: scales weights so the largest becomes
 * 65535, rounds each with Python's `round` (ties to even) and drops the ones that round to
 * zero, keeping uids aligned. All-zero weights give nothing to set. Where Python raises
 * `ValueError` (negative weights or uids, a length mismatch, an empty list) this throws a
 * `ScoringError`; it also refuses NaN, infinities and fractional uids, which Python would
 * turn into garbage or a later crash.
 */
export function convertWeightsAndUidsForEmit(
  uids: readonly number[],
  weights: readonly number[],
): { uids: number[]; weights: number[] } {
  if (weights.length === 0 || uids.length === 0) {
    throw new ScoringError('WEIGHTS_EMPTY', 'No weights to emit.', {
      details: `Got ${uids.length} uids and ${weights.length} weights.`,
    });
  }
  checkWeights(weights);
  uids.forEach((uid, index) => {
    if (!Number.isSafeInteger(uid) || uid < 0) {
      throw new ScoringError('UIDS_INVALID', `Uid ${index} is ${uid}, not a non-negative integer.`);
    }
  });
  if (uids.length !== weights.length) {
    throw new ScoringError(
      'WEIGHTS_LENGTH_MISMATCH',
      `Weights and uids must have the same length, got ${uids.length} uids and ${weights.length} weights.`,
    );
  }

  const max = weights.reduce((a, b) => Math.max(a, b), 0);
  const out = { uids: [] as number[], weights: [] as number[] };
  if (max === 0) return out;
  weights.forEach((weight, index) => {
    const value = roundHalfEven((weight / max) * U16_MAX);
    if (value !== 0) {
      out.uids.push(uids[index]!);
      out.weights.push(value);
    }
  });
  return out;
}

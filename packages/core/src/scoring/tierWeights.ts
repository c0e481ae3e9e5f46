import { getTier } from '../tiers/getTier';
import type { TierConfig } from '../tiers/TierConfig';
import { ScoringError } from './ScoringError';

/**
 * Raw weights before chain normalisation: within each tier `w = S / ΣS`, scaled by the
 * tier's incentive, so a tier pays out its share however many miners it has. A tier whose
 * miners all score zero pays nothing (zeros, not NaN). Uids come back in input order.
 */
export function tierWeights(
  scores: readonly { readonly uid: number; readonly tier: string; readonly score: number }[],
  tiers: readonly TierConfig[],
): { uids: number[]; weights: number[] } {
  const seen = new Set<number>();
  const totals = new Map<string, number>();
  for (const { uid, tier, score } of scores) {
    if (!Number.isSafeInteger(uid) || uid < 0 || seen.has(uid)) {
      throw new ScoringError('SCORES_INVALID', `Uid ${uid} is invalid or appears twice.`);
    }
    seen.add(uid);
    if (!Number.isFinite(score) || score < 0) {
      throw new ScoringError('SCORES_INVALID', `Score of uid ${uid} is ${score}.`, {
        details: 'Scores must be finite and non-negative.',
      });
    }
    getTier(tiers, tier);
    totals.set(tier, (totals.get(tier) ?? 0) + score);
  }
  return {
    uids: scores.map((entry) => entry.uid),
    weights: scores.map(({ tier, score }) => {
      const total = totals.get(tier)!;
      return total === 0 ? 0 : (score / total) * getTier(tiers, tier).incentive;
    }),
  };
}

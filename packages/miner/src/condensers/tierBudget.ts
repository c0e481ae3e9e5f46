import type { TierConfig } from '@signal/core';
import { MinerRequestError } from '../models/MinerRequestError';
import { keptCount } from '../presses/keptCount';

/**
 * How many tokens a condenser keeps, the ratio that yields exactly that many, and the range
 * of kept counts the tier allows (where a condenser may fall back when the count it aimed for
 * cannot be met).
 */
export interface TokenBudget {
  readonly kept: number;
  readonly ratio: number;
  readonly minKept: number;
  readonly maxKept: number;
}

/**
 * The configured ratio, moved just enough to honour the tier: at least `minCondensedTokens`
 * and `minCompressionRate × n`, at most `maxCondensedTokens` and `maxCompressionRate × n`.
 * A context too short (or too long) for any count to satisfy every bound is refused with a
 * 422 naming the bound that cannot be met.
 */
export function tierBudget(originalTokens: number, ratio: number, tier: TierConfig): TokenBudget {
  const n = originalTokens;
  const low = Math.max(tier.minCondensedTokens, Math.ceil(n * tier.minCompressionRate - 1e-9));
  const high = Math.min(n, tier.maxCondensedTokens, Math.floor(n * tier.maxCompressionRate + 1e-9));
  if (low > high) {
    const limit =
      n < tier.minCondensedTokens
        ? `minCondensedTokens=${tier.minCondensedTokens}`
        : high === tier.maxCondensedTokens
          ? `maxCondensedTokens=${tier.maxCondensedTokens}`
          : `compression rate in [${tier.minCompressionRate}, ${tier.maxCompressionRate}]`;
    throw new MinerRequestError(
      'MINER_TIER_LIMIT',
      `A context of ${n} tokens cannot meet tier "${tier.name}" limit ${limit}.`,
      { details: `kept tokens must lie in [${low}, ${high}], which is empty` },
    );
  }
  const kept = Math.min(high, Math.max(low, keptCount(n, ratio)));
  return { kept, ratio: (n - kept) / n, minKept: low, maxKept: high };
}

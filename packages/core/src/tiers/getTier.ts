import type { TierConfig } from './TierConfig';
import { TierError } from './TierError';

/** Finds a tier by name, or throws `TIER_UNKNOWN` listing the tiers that do exist. */
export function getTier(tiers: readonly TierConfig[], name: string): TierConfig {
  const tier = tiers.find((candidate) => candidate.name === name);
  if (tier === undefined) {
    throw new TierError('TIER_UNKNOWN', `Unknown tier "${name}".`, {
      details: `Known tiers: ${tiers.map((t) => t.name).join(', ') || 'none'}.`,
    });
  }
  return tier;
}

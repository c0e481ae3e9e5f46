import type { TierConfig } from '@signal/core';

/**
 * How many tasks each miner of a tier gets this epoch: the tier's requests per epoch shared
 * among its miners (at least one each), unless the operator fixes the number.
 */
export function requestsPerMiner(
  tier: Pick<TierConfig, 'requestsPerEpoch'>,
  miners: number,
  fixed?: number,
): number {
  if (fixed !== undefined) return fixed;
  if (miners === 0 || tier.requestsPerEpoch === 0) return 0;
  return Math.max(1, Math.floor(tier.requestsPerEpoch / miners));
}

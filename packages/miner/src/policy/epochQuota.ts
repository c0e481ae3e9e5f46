import type { MetagraphIndex } from './MetagraphIndex';

/**
 * A validator's work requests per epoch: its share of validator stake times the miner's total,
 * rounded down but never below 1 (a permitted validator must be able to query at all). When
 * no validator has stake, the total is shared equally.
 */
export function validatorQuota(
  stake: bigint,
  metagraph: MetagraphIndex,
  requestsPerEpoch: number,
): number {
  const total = BigInt(requestsPerEpoch);
  const share =
    metagraph.validatorStake > 0n
      ? (total * stake) / metagraph.validatorStake
      : total / BigInt(Math.max(1, metagraph.validatorCount));
  return Math.max(1, Number(share));
}

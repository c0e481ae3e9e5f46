import { createHash } from 'node:crypto';

/**
 * A task's id: a hash of the seed, tier and index. Stable for a seed, yet it tells a miner
 * that sees it neither the seed nor the family.
 */
export function taskId(seed: string, tier: string, index: number): string {
  return createHash('sha256')
    .update(['task', seed, tier, String(index)].join('\u0000'))
    .digest('hex')
    .slice(0, 16);
}

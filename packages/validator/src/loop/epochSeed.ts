import { createHash } from 'node:crypto';

/**
 * The seed of one epoch's tasks: a hash of the validator's secret and the epoch, so miners
 * cannot precompute tasks, while a fixed secret makes a run reproducible.
 */
export function epochSeed(secret: string, epoch: number, block: number): string {
  return createHash('sha256').update(`${secret}\u0000${epoch}\u0000${block}`).digest('hex');
}

/**
 * Subtensor's epoch schedule (spec 343): a subnet's epoch runs in the block where
 * `(block + netuid + 1) % (tempo + 1) == tempo`, and its epoch index is
 * `(block + netuid + 1) / (tempo + 1)`, so each index spans tempo + 1 blocks and the epoch
 * runs in the last of them. Commit-reveal keys commits, and finds the ones to reveal, by
 * this index. A tempo of 0 never runs.
 */

/** The epoch index of `block` on subnet `netuid`. */
export function epochIndex(netuid: number, tempo: number, block: number): number {
  return Math.floor((block + netuid + 1) / (tempo + 1));
}

/** Blocks until the subnet's next epoch runs (0 when it runs in `block`). */
export function blocksUntilNextEpoch(netuid: number, tempo: number, block: number): number {
  if (tempo === 0) return Number.POSITIVE_INFINITY;
  return tempo - ((block + netuid + 1) % (tempo + 1));
}

/** Whether the subnet's epoch runs in `block`. */
export function runsEpoch(netuid: number, tempo: number, block: number): boolean {
  return blocksUntilNextEpoch(netuid, tempo, block) === 0;
}

/**
 * The epoch a commit made in `block` is filed under: the block's epoch, or the next one
 * when the epoch runs in that very block (the pallet's look-ahead).
 */
export function commitEpochOf(netuid: number, tempo: number, block: number): number {
  return epochIndex(netuid, tempo, block) + (runsEpoch(netuid, tempo, block) ? 1 : 0);
}

/** The first block of epoch index `epoch` (0 for the epochs before block 0). */
export function firstBlockOfEpoch(netuid: number, tempo: number, epoch: number): number {
  return Math.max(0, epoch * (tempo + 1) - (netuid + 1));
}

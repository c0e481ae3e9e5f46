import type { MetagraphIndex } from './MetagraphIndex';

/**
 * A request's queue priority: the caller's stake in rao (0 for unregistered direct clients),
 * so heavier validators are served first, as Bittensor's reference miners do.
 */
export function callerPriority(hotkey: string, metagraph: MetagraphIndex): bigint {
  return metagraph.byHotkey.get(hotkey)?.stake ?? 0n;
}

/** Orders callers for a queue: higher priority first (negative when `a` goes first). */
export function comparePriority(a: bigint, b: bigint): number {
  return a > b ? -1 : a < b ? 1 : 0;
}

import { type ChainWeightsCommit, type CommitRevealState, firstBlockOfEpoch } from '@signal/chain';
import type { WeightCommitRecord } from '../state/WeightCommitRecord';

/** One of our commits, with what the chain says about it now. */
export interface CommitView extends WeightCommitRecord {
  /** Whether the chain still holds it (it is not revealed, dropped or expired yet). */
  heldByChain: boolean;
  /** Blocks until its reveal epoch starts, 0 once it has. */
  blocksUntilRevealEpoch: number;
  /** Whether the chain already has its round's pulse, so it opens in the reveal epoch. */
  roundIngested: boolean;
}

/**
 * Commit-reveal as a dashboard shows it for one validator: whether the subnet has it on,
 * where the chain is, our commits newest first with their status, and the other commits
 * the chain holds. Built from the validator's state file and one `commitRevealState` read.
 */
export interface CommitRevealView {
  netuid: number;
  enabled: boolean;
  block: number;
  epoch: number;
  revealPeriodEpochs: number;
  lastStoredRound: number;
  commits: CommitView[];
  counts: Record<WeightCommitRecord['status'], number>;
  /** Commits of other hotkeys the chain holds. */
  othersPending: ChainWeightsCommit[];
}

export function commitRevealView(
  records: readonly WeightCommitRecord[],
  chain: CommitRevealState,
  hotkey: string,
): CommitRevealView {
  const held = new Set(chain.commits.filter((c) => c.hotkey === hotkey).map((c) => c.commitHash));
  const ours = records
    .filter((record) => record.netuid === chain.netuid)
    .map((record) => ({
      ...record,
      heldByChain: held.has(record.commitHash),
      blocksUntilRevealEpoch: Math.max(
        0,
        firstBlockOfEpoch(chain.netuid, chain.tempo, record.revealEpoch) - chain.block,
      ),
      roundIngested: record.revealRound <= chain.lastStoredRound,
    }))
    .sort((a, b) => b.block - a.block);
  const counts = { pending: 0, revealed: 0, superseded: 0, missing: 0 };
  for (const record of ours) counts[record.status] += 1;
  return {
    netuid: chain.netuid,
    enabled: chain.enabled,
    block: chain.block,
    epoch: chain.epoch,
    revealPeriodEpochs: chain.revealPeriodEpochs,
    lastStoredRound: chain.lastStoredRound,
    commits: ours,
    counts,
    othersPending: chain.commits.filter((c) => c.hotkey !== hotkey),
  };
}

import type { Bytes, u16, u64, Vec } from '@polkadot/types';
import type { AccountId32 } from '@polkadot/types/interfaces';
import type { ITuple } from '@polkadot/types/types';
import { blake2AsHex } from '@polkadot/util-crypto';
import type { ChainWeightsCommit, CommitRevealState, Hyperparameters } from '../ChainClient';
import { commitEpochOf, epochIndex } from '../epochs/epochSchedule';
import { queryStorage } from '../subtensor/queryStorage';
import { type BlockRef, resolveBlock } from '../subtensor/resolveBlock';
import type { SubtensorContext } from '../subtensor/SubtensorContext';
import { QUICKNET } from '../timelock/quicknet';
import { getHyperparameters } from './getHyperparameters';

type CommitTuple = ITuple<[AccountId32, u64, Bytes, u64]>;

/**
 * Reads a subnet's commit-reveal view at one block: the settings (`CommitRevealWeightsEnabled`,
 * `CommitRevealWeightsVersion`, `RevealPeriodEpochs`, tempo), the epoch, the newest drand round
 * the chain has ingested (`Drand.LastStoredRound`) and the commits it still holds
 * (`TimelockedWeightCommits` for the epochs not yet revealed or expired).
 */
export async function getCommitRevealState(
  context: SubtensorContext,
  netuid: number,
  blockTimeSeconds: number,
  blockHash?: string,
): Promise<CommitRevealState> {
  const head = await resolveBlock(context, blockHash);
  const hyperparameters = await getHyperparameters(context, netuid, head.hash);
  return commitRevealStateAt(context, head, hyperparameters, blockTimeSeconds);
}

/** The same view, at a block whose hyperparameters the caller has already read. */
export async function commitRevealStateAt(
  context: SubtensorContext,
  head: BlockRef,
  hyperparameters: Hyperparameters,
  blockTimeSeconds: number,
): Promise<CommitRevealState> {
  const { netuid } = hyperparameters;
  const [version, lastStoredRound] = await Promise.all([
    queryStorage(
      context,
      'subtensorModule',
      'commitRevealWeightsVersion',
      [],
      head.hash,
    ) as Promise<u16>,
    queryStorage(context, 'drand', 'lastStoredRound', [], head.hash) as Promise<u64>,
  ]);
  const { tempo, commitRevealPeriod } = hyperparameters;
  const epoch = epochIndex(netuid, tempo, head.number);
  const commitEpoch = commitEpochOf(netuid, tempo, head.number);
  const epochs: number[] = [];
  for (let e = Math.max(0, epoch - commitRevealPeriod); e <= commitEpoch; e += 1) epochs.push(e);
  const queues = await Promise.all(
    epochs.map(
      (e) =>
        queryStorage(
          context,
          'subtensorModule',
          'timelockedWeightCommits',
          [netuid, e],
          head.hash,
        ) as Promise<Vec<CommitTuple>>,
    ),
  );
  const commits: ChainWeightsCommit[] = queues.flatMap((queue, i) =>
    queue.map(([who, block, commit, round]) => ({
      hotkey: who.toString(),
      epoch: epochs[i]!,
      block: block.toNumber(),
      revealRound: round.toNumber(),
      commitHex: commit.toHex(),
      commitHash: blake2AsHex(commit.toU8a(true), 256),
    })),
  );
  return {
    netuid,
    block: head.number,
    enabled: hyperparameters.commitRevealWeightsEnabled,
    version: version.toNumber(),
    revealPeriodEpochs: commitRevealPeriod,
    tempo,
    epoch,
    commitEpoch,
    lastStoredRound: lastStoredRound.toNumber(),
    beacon: QUICKNET,
    blockTimeSeconds,
    nowSeconds: Date.now() / 1000,
    commits,
    reveals: null,
  };
}

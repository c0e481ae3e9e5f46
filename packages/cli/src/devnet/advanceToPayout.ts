import { type LocalChain, runsEpoch, type WeightsCommitReceipt } from '@signal/chain';

/** What became of an epoch's commit on the devnet chain. */
export interface CommitFate {
  outcome: 'revealed' | 'dropped' | 'expired';
  /** The block the chain revealed (or dropped) it in. */
  block: number;
  reason?: string;
  /** The first block at which the committer's weights changed on chain (null: never). */
  weightsFromBlock: number | null;
}

/**
 * Drives the devnet chain block by block after a validator epoch: through the reveal of the
 * epoch's commit, if it committed (the chain opens it with its beacon in the reveal epoch),
 * watching when the committer's weights change on chain, then up to and including the next
 * block that runs the subnet's epoch, so consensus pays by the weights just set or revealed.
 * Returns the commit's fate; the blocks are bounded by the reveal period, so a commit the
 * chain never settles cannot loop forever.
 */
export async function advanceToPayout(
  chain: LocalChain,
  netuid: number,
  committer: number,
  commit: WeightsCommitReceipt | undefined,
): Promise<CommitFate | undefined> {
  let fate: CommitFate | undefined;
  if (commit) {
    const start = await chain.commitRevealState(netuid);
    const limit = (start.revealPeriodEpochs + 2) * (start.tempo + 1);
    const before = JSON.stringify(await chain.weightsOf(netuid, committer));
    let weightsFromBlock: number | null = null;
    for (let step = 0; step < limit && !fate; step += 1) {
      const block = await chain.advance(1);
      const now = JSON.stringify(await chain.weightsOf(netuid, committer));
      if (weightsFromBlock === null && now !== before) weightsFromBlock = block;
      const event = (await chain.commitRevealState(netuid)).reveals?.find(
        (e) => e.epoch === commit.epoch && e.revealRound === commit.revealRound,
      );
      if (event) {
        fate = {
          outcome: event.outcome,
          block: event.block,
          weightsFromBlock,
          ...(event.reason ? { reason: event.reason } : {}),
        };
      }
    }
  }
  const { tempo } = await chain.hyperparameters(netuid);
  let block = await chain.advance(1);
  while (!runsEpoch(netuid, tempo, block)) block = await chain.advance(1);
  return fate;
}

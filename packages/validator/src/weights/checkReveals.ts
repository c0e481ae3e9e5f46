import type { ChainClient } from '@signal/chain';
import type { Logger } from 'pino';
import type { ScoreStateStore } from '../state/ScoreStateStore';
import type { WeightCommitRecord } from '../state/WeightCommitRecord';
import { verifyCommits } from './verifyCommits';

export interface CheckRevealsParameters {
  chain: ChainClient;
  netuid: number;
  hotkey: string;
  /** Our uid now, or null when we hold none (then nothing can be checked). */
  uid: number | null;
  store: ScoreStateStore;
  logger: Logger;
}

/**
 * On a sync, settles the validator's pending commits against the chain (see
 * `verifyCommits`), saves the state when any changed, logs each reveal, and warns for each
 * commit the chain did not reveal. Returns the commits it settled. Chain failures are
 * logged and left for the next sync; they never stop the epoch.
 */
export async function checkReveals({
  chain,
  netuid,
  hotkey,
  uid,
  store,
  logger,
}: CheckRevealsParameters): Promise<WeightCommitRecord[]> {
  const pending = store.commits.filter((c) => c.netuid === netuid && c.status === 'pending');
  if (pending.length === 0 || uid === null) return [];
  try {
    const [state, weightsOnChain] = await Promise.all([
      chain.commitRevealState(netuid),
      chain.weightsOf(netuid, uid),
    ]);
    const { records, settled } = verifyCommits(store.commits, {
      block: state.block,
      epoch: state.epoch,
      lastStoredRound: state.lastStoredRound,
      heldCommitHashes: new Set(
        state.commits.filter((c) => c.hotkey === hotkey).map((c) => c.commitHash),
      ),
      weightsOnChain,
    });
    if (settled.length === 0) return [];
    store.replaceCommits(records);
    await store.save();
    for (const record of settled) {
      const fields = {
        netuid,
        epoch: record.epoch,
        revealEpoch: record.revealEpoch,
        revealRound: record.revealRound,
        commitHash: record.commitHash,
        block: state.block,
      };
      if (record.status === 'missing') {
        logger.warn({ ...fields, detail: record.detail }, 'committed weights were not revealed');
      } else {
        logger.info({ ...fields, status: record.status }, 'committed weights revealed');
      }
    }
    return settled;
  } catch (error) {
    logger.warn(
      { err: error, netuid },
      'could not check the reveals of our commits; retrying next sync',
    );
    return [];
  }
}

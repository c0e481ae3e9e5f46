import type { WeightsCommitReceipt } from '@signal/chain';

/** Whether this epoch's weights reached the chain, and why not when they did not. */
export type WeightsOutcome =
  | { set: true; path: 'set_weights'; block: number; uids: number[]; weights: number[] }
  | {
      set: true;
      /** Committed timelocked; the chain reveals them in `commit.revealEpoch`. */
      path: 'commit';
      block: number;
      uids: number[];
      weights: number[];
      commit: WeightsCommitReceipt;
    }
  | {
      set: false;
      reason:
        | 'rate_limited'
        | 'no_weights'
        | 'not_registered'
        | 'already_committed'
        | 'failed'
        | 'aborted';
      message: string;
    };

/** Whether this epoch's weights reached the chain, and why not when they did not. */
export type WeightsOutcome =
  | { set: true; block: number; uids: number[]; weights: number[] }
  | {
      set: false;
      reason: 'rate_limited' | 'no_weights' | 'not_registered' | 'failed' | 'aborted';
      message: string;
    };

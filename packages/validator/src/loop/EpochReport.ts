import type { WeightsOutcome } from '../weights/WeightsOutcome';

/** What one epoch did: every miner queried, its epoch means, and the weight it was given. */
export interface EpochReport {
  epoch: number;
  /** The block the metagraph was synced at. */
  block: number;
  /** Whether weights reached the chain this epoch, set in the clear or committed. */
  weightsSet: boolean;
  /** How: set, committed (with the reveal epoch and round), or why not. */
  weights: WeightsOutcome;
  miners: Array<{
    uid: number;
    hotkey: string;
    tier: string;
    /** The first condenser method the miner's Metadata lists. */
    method?: string;
    accuracy: number;
    fidelity: number;
    compression: number;
    latencyMs: number;
    /** Mean per-response score this epoch (the moving score is in the state). */
    score: number;
    /** The raw weight computed from the moving scores (tier share × incentive). */
    weight: number;
  }>;
}

/** What one epoch did: every miner queried, its epoch means, and the weight it was given. */
export interface EpochReport {
  epoch: number;
  /** The block the metagraph was synced at. */
  block: number;
  weightsSet: boolean;
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

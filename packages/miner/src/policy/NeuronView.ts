/**
 * The little the miner's policy needs to know about a neuron. Structural on purpose, so any
 * metagraph (from `@signal/chain`'s `metagraph(netuid)` or a test) can be mapped onto it.
 */
export interface NeuronView {
  readonly uid: number;
  /** SS58 hotkey address. */
  readonly hotkey: string;
  /** Stake in rao. */
  readonly stake: bigint;
  readonly validatorPermit: boolean;
}

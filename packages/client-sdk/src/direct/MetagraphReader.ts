/** The part of a neuron the client needs to pick and reach a miner. */
export interface MinerNeuron {
  readonly uid: number;
  readonly hotkey: string;
  /** In [0, 1]; miners are ranked by it. */
  readonly incentive: number;
  readonly axon: { readonly ip: string; readonly port: number };
}

/**
 * The one chain read direct mode makes. `@signal/chain`'s `Subtensor` and `LocalChain`
 * fit structurally, so the client's types never name the optional chain package.
 */
export interface MetagraphReader {
  metagraph(
    netuid: number,
  ): Promise<{ readonly block: number; readonly neurons: readonly MinerNeuron[] }>;
  close?(): Promise<void>;
}

import type { KeyringPair } from '@polkadot/keyring/types';
import type { Metagraph } from './metagraph/Metagraph';
import type { BeaconInfo } from './timelock/quicknet';

/** The subnet settings that decide whether a weight vector or an axon is accepted. */
export interface Hyperparameters {
  netuid: number;
  tempo: number;
  immunityPeriod: number;
  minAllowedWeights: number;
  /** u16 fixed-point cap on any single normalised weight (65535 = no cap). */
  maxWeightsLimit: number;
  /** Blocks a hotkey must wait between two weight updates. */
  weightsRateLimit: number;
  /** The `version_key` the subnet requires; 0 accepts any. */
  weightsVersion: bigint;
  commitRevealWeightsEnabled: boolean;
  /** `RevealPeriodEpochs`: a timelocked commit is revealed this many epochs after its own. */
  commitRevealPeriod: number;
  maxValidators: number;
  activityCutoff: number;
  registrationAllowed: boolean;
  servingRateLimit: number;
}

export interface SetWeightsParameters {
  netuid: number;
  uids: readonly number[];
  /** Any non-negative floats; they are normalised to u16 the way the Python SDK emits them. */
  weights: readonly number[];
  versionKey: bigint | number;
  /** The validator's hotkey pair; it signs and pays. */
  signer: KeyringPair;
}

/**
 * What `setWeights` did. With commit-reveal off the weights are set (`set_weights`); with
 * it on they are committed, timelocked to a beacon round, and the chain reveals them itself
 * in the reveal epoch (`commit`).
 */
export type SetWeightsResult = {
  /** The u16 uids and weights actually sent (in the clear or inside the commit). */
  uids: number[];
  weights: number[];
  /** The block the extrinsic landed in. */
  block: number;
} & ({ path: 'set_weights' } | { path: 'commit'; commit: WeightsCommitReceipt });

/** What a timelocked commit was, once `setWeights` submitted it. */
export interface WeightsCommitReceipt {
  /** The epoch the chain filed it under. */
  epoch: number;
  /** The epoch the chain reveals it in (`epoch + RevealPeriodEpochs`). */
  revealEpoch: number;
  /** The beacon round whose signature opens it. */
  revealRound: number;
  /** blake2-256 of the commit bytes, as `TimelockedWeightsCommitted` reports it. */
  commitHash: string;
  /** The `commit_reveal_version` sent: the chain's `CommitRevealWeightsVersion`. */
  version: number;
}

/** A timelocked commit the chain holds until it reveals it or it expires. */
export interface ChainWeightsCommit {
  /** The committer's SS58 address. */
  hotkey: string;
  /** The epoch it is filed under; it is revealed in `epoch + revealPeriodEpochs`. */
  epoch: number;
  /** The block it landed in. */
  block: number;
  revealRound: number;
  /** The commit bytes, 0x-hex. */
  commitHex: string;
  /** blake2-256 of the commit bytes. */
  commitHash: string;
}

/** What happened to a commit when its reveal epoch came (the LocalChain keeps these). */
export interface RevealEvent {
  hotkey: string;
  epoch: number;
  revealRound: number;
  /** The block it was revealed or dropped in. */
  block: number;
  outcome: 'revealed' | 'dropped' | 'expired';
  /** Why it was dropped or expired. */
  reason?: string;
}

/** A subnet's commit-reveal settings and queue at one block. */
export interface CommitRevealState {
  netuid: number;
  block: number;
  enabled: boolean;
  /** `CommitRevealWeightsVersion`: the only `commit_reveal_version` the chain accepts. */
  version: number;
  /** `RevealPeriodEpochs`. */
  revealPeriodEpochs: number;
  tempo: number;
  /** The epoch index of `block`. */
  epoch: number;
  /** The epoch a commit made in `block` is filed under (the pallet looks ahead on epoch blocks). */
  commitEpoch: number;
  /** The newest beacon round the chain holds a pulse for (0 when none). */
  lastStoredRound: number;
  /** The beacon whose rounds the chain ingests (drand quicknet on finney). */
  beacon: BeaconInfo;
  /** Seconds per block, as the reveal-round formula takes it. */
  blockTimeSeconds: number;
  /** Unix seconds at `block`, as the reveal-round formula takes it. */
  nowSeconds: number;
  /** Commits the chain still holds, oldest epoch first. */
  commits: ChainWeightsCommit[];
  /** Recent reveals and drops, newest last; null when the client cannot list them (Subtensor). */
  reveals: RevealEvent[] | null;
}

export interface ServeAxonParameters {
  netuid: number;
  ip: string;
  port: number;
  /** Derived from `ip` when omitted. */
  ipType?: 4 | 6;
  /** Bittensor axons use protocol 4 (TCP/HTTP). */
  protocol?: number;
  version: number;
  signer: KeyringPair;
}

export interface ServeAxonResult {
  /** False when the chain already held exactly this axon, so nothing was sent. */
  submitted: boolean;
}

export interface ReadOptions {
  /** Read at this block hash instead of the head. */
  blockHash?: string;
}

/** The chain as Signal's miners, validators and CLI see it; Subtensor and LocalChain implement it. */
export interface ChainClient {
  metagraph(netuid: number, options?: ReadOptions): Promise<Metagraph>;
  hyperparameters(netuid: number): Promise<Hyperparameters>;
  currentBlock(): Promise<number>;
  isRegistered(netuid: number, hotkey: string): Promise<boolean>;
  /** The hotkey's uid on the subnet, or null when it holds none. */
  uidOf(netuid: number, hotkey: string): Promise<number | null>;
  /** The hotkey's total stake on the subnet in rao (0 when unregistered). */
  stakeOf(netuid: number, hotkey: string): Promise<bigint>;
  /**
   * Sets weights, or commits them timelocked when the subnet has commit-reveal on: the
   * path is read from the chain, never chosen by the caller.
   */
  setWeights(parameters: SetWeightsParameters): Promise<SetWeightsResult>;
  /** The subnet's commit-reveal settings, epoch, ingested beacon rounds and pending commits. */
  commitRevealState(netuid: number): Promise<CommitRevealState>;
  /** The weights a uid has on chain now, as [uid, u16 weight] pairs. */
  weightsOf(netuid: number, uid: number): Promise<Array<[number, number]>>;
  /** The beacon's signature of `round` if the chain holds that pulse, else null. */
  beaconPulse(round: number): Promise<Uint8Array | null>;
  serveAxon(parameters: ServeAxonParameters): Promise<ServeAxonResult>;
  close(): Promise<void>;
}

import type { KeyringPair } from '@polkadot/keyring/types';
import type { Metagraph } from './metagraph/Metagraph';

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

export interface SetWeightsResult {
  /** The u16 uids and weights actually sent. */
  uids: number[];
  weights: number[];
  /** The block the weights took effect in. */
  block: number;
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
  setWeights(parameters: SetWeightsParameters): Promise<SetWeightsResult>;
  serveAxon(parameters: ServeAxonParameters): Promise<ServeAxonResult>;
  close(): Promise<void>;
}

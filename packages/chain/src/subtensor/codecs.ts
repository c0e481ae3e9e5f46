import type { bool, Compact, Struct, u8, u16, u32, u64, u128 } from '@polkadot/types';
import type { AccountId32 } from '@polkadot/types/interfaces';

/**
 * The shapes of the subtensor runtime-API results we read, as the metadata v15 registry
 * decodes them. @polkadot/api has no augmentation for subtensor, so these interfaces name
 * the struct fields (camelCased by the registry) that the decoders below rely on.
 */
export interface AxonInfoCodec extends Struct {
  block: u64;
  version: u32;
  ip: u128;
  port: u16;
  ipType: u8;
  protocol: u8;
}

export interface NeuronInfoLiteCodec extends Struct {
  hotkey: AccountId32;
  coldkey: AccountId32;
  uid: Compact<u16>;
  netuid: Compact<u16>;
  axonInfo: AxonInfoCodec;
}

export interface SubnetHyperparamsCodec extends Struct {
  immunityPeriod: Compact<u16>;
  minAllowedWeights: Compact<u16>;
  maxWeightsLimit: Compact<u16>;
  tempo: Compact<u16>;
  weightsVersion: Compact<u64>;
  weightsRateLimit: Compact<u64>;
  activityCutoff: Compact<u16>;
  registrationAllowed: bool;
  servingRateLimit: Compact<u64>;
  maxValidators: Compact<u16>;
  commitRevealPeriod: Compact<u64>;
  commitRevealWeightsEnabled: bool;
}

import { SignalError } from '@signal/core';

export type MinerStartErrorCode =
  | 'MINER_NOT_REGISTERED'
  | 'MINER_TIER_NOT_IN_TABLE'
  | 'MINER_NO_EXTERNAL_IP'
  | 'MINER_MODEL_CANNOT_SERVE'
  | 'MINER_ADAPTER_UNSUPPORTED';

/** A miner that cannot start: its hotkey, tiers or address do not fit the subnet, a model cannot run its tier's method, or cannot take its adapter. */
export class MinerStartError extends SignalError<MinerStartErrorCode> {
  override name = 'MinerStartError';
}

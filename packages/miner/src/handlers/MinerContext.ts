import type { TierConfig } from '@signal/core';
import type { Logger } from 'pino';
import type { WindowAttention } from '../condensers/WindowAttention';
import type { MinerConfig } from '../config/MinerConfigSchema';
import type { MinerMetrics } from '../metrics/MinerMetrics';
import type { TargetModels } from '../models/TargetModels';

/** What every handler of one miner shares: its config, tier table, models, logs and metrics. */
export interface MinerContext {
  readonly config: MinerConfig;
  readonly tiers: readonly TierConfig[];
  readonly models: TargetModels;
  readonly logger: Logger;
  readonly metrics: MinerMetrics;
  /** SnapKV's window attention in ONNX Runtime, shared by this miner's requests. */
  readonly windowAttention: WindowAttention;
}

import type { TierConfig } from '@signal/core';
import type { ModelHost } from '@signal/runtime';
import type { Logger } from 'pino';
import type { MinerConfig } from '../config/MinerConfigSchema';
import type { MinerMetrics } from '../metrics/MinerMetrics';
import type { MinerJobs } from '../worker/MinerJobs';

/** What every handler of one miner shares: its config, tier table, model host, logs and metrics. */
export interface MinerContext {
  readonly config: MinerConfig;
  readonly tiers: readonly TierConfig[];
  /** Runs every model call in worker threads; the handlers only await it. */
  readonly host: ModelHost<MinerJobs>;
  /** Adapters some worker has activated (Metadata lists them). */
  readonly adapters: Set<string>;
  readonly logger: Logger;
  readonly metrics: MinerMetrics;
}

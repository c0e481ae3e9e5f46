import type { CondensedPayload, TierConfig } from '@signal/core';
import type { MinerEntry } from '../miners/MinerView';

/**
 * How a validator running the gateway in its own process scores a share of organic traffic
 * like its synthetic tasks. A standalone gateway has no models, so it scores nothing.
 */
export interface OrganicScoring {
  /** Decided per request, before routing, so a failure counts as much as a success. */
  sample(model: string): boolean;
  failed(miner: MinerEntry, tier: TierConfig, latencyMs: number | null): void;
  succeeded(routed: {
    miner: MinerEntry;
    tier: TierConfig;
    model: string;
    context: string;
    payload: CondensedPayload;
    latencyMs: number;
  }): void;
}

import type { AxonTarget } from '@signal/core';

/** A serving miner as the validator knows it after a sync. */
export interface MinerTarget {
  uid: number;
  hotkey: string;
  axon: AxonTarget;
  /** What the miner's Metadata said it serves. */
  tier: string;
  models: readonly string[];
  methods: readonly string[];
  /** Advertised `/Condense/binary`: payloads are fetched as frames on it. */
  binaryRoute?: boolean;
}

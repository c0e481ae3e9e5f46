import { type AxonTarget, type Dendrite, Metadata } from '@signal/core';

export interface MinerMetadata {
  tier: string | null;
  models: string[];
  adapters: string[];
  methods: string[];
}

/** Asks one miner what it serves; null when it cannot be reached or answers badly. */
export async function queryMetadata(
  dendrite: Dendrite,
  axon: AxonTarget,
  timeoutSeconds: number,
): Promise<MinerMetadata | null> {
  const result = await dendrite.call(
    axon,
    Metadata,
    { tier: null, models: [], adapters: [], methods: [], limits: {} },
    { timeout: timeoutSeconds },
  );
  if (!result.ok) return null;
  const { tier, models, adapters, methods } = result.synapse;
  return { tier, models, adapters, methods };
}

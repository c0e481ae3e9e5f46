import {
  type AxonTarget,
  BINARY_ROUTE_LIMIT,
  type Dendrite,
  FRAME_VERSION,
  Metadata,
} from '@signal/core';

export interface MinerMetadata {
  tier: string | null;
  models: string[];
  adapters: string[];
  methods: string[];
  /** The miner serves `/Condense/binary` in the frame version we speak. */
  binaryRoute: boolean;
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
  const { tier, models, adapters, methods, limits } = result.synapse;
  return {
    tier,
    models,
    adapters,
    methods,
    binaryRoute: limits[BINARY_ROUTE_LIMIT] === FRAME_VERSION,
  };
}

import { Condense, type Dendrite } from '@signal/core';
import type { MinerTarget } from './MinerTarget';
import type { QueryOutcome } from './QueryOutcome';

export interface QueryCondenseParameters {
  dendrite: Dendrite;
  miner: Pick<MinerTarget, 'axon'>;
  context: string;
  targetModel: string;
  tier: string;
  timeoutSeconds: number;
  signal?: AbortSignal;
}

/**
 * Sends one Condense synapse. Never throws for the peer's failings: a timeout (408), a
 * refused connection (503), an unparseable answer (422) and a 200 without a payload all come
 * back as outcomes. The payload is returned unvalidated, for the evaluator to check.
 */
export async function queryCondense({
  dendrite,
  miner,
  context,
  targetModel,
  tier,
  timeoutSeconds,
  signal,
}: QueryCondenseParameters): Promise<QueryOutcome> {
  const result = await dendrite.call(
    miner.axon,
    Condense,
    { context, target_model: targetModel, tier, adapter: null, condensed: null },
    { timeout: timeoutSeconds, ...(signal ? { signal } : {}) },
  );
  const latencyMs = result.processTime * 1000;
  if (!result.ok) return { ok: false, status: result.status, message: result.message, latencyMs };
  if (result.synapse.condensed === null) {
    return { ok: false, status: 200, message: 'the miner returned no payload', latencyMs };
  }
  return { ok: true, raw: result.synapse.condensed, latencyMs };
}

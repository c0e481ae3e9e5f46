import { Condense, type Dendrite } from '@signal/core';
import type { MinerEntry } from '../miners/MinerView';

export type MinerAnswer =
  | { ok: true; raw: unknown; latencyMs: number }
  | {
      ok: false;
      status: number;
      message: string;
      latencyMs: number;
      /** The miner itself sent this status (a refusal), rather than the dendrite reading it so. */
      answered: boolean;
      /** The code the miner gave its refusal (`MINER_TIER_LIMIT`, say), when it gave one. */
      code?: string;
      /** The miner's own `Retry-After`, when it sent one. */
      retryAfterMs?: number;
    };

/**
 * Sends one Condense synapse. Never throws for the miner's failings: a timeout (408), a
 * refused connection (503), an unparseable answer (422) and a 200 without a payload come
 * back as answers, with the miner's Retry-After when it gave one. The payload is returned
 * unvalidated.
 */
export async function askMiner(
  dendrite: Dendrite,
  miner: Pick<MinerEntry, 'axon'>,
  request: { context: string; model: string; tier: string; timeoutSeconds: number },
): Promise<MinerAnswer> {
  const result = await dendrite.call(
    miner.axon,
    Condense,
    {
      context: request.context,
      target_model: request.model,
      tier: request.tier,
      adapter: null,
      condensed: null,
    },
    { timeout: request.timeoutSeconds },
  );
  const latencyMs = result.processTime * 1000;
  if (!result.ok) {
    return {
      ok: false,
      status: result.status,
      message: result.message,
      latencyMs,
      answered: result.answered,
      ...(result.code === undefined ? {} : { code: result.code }),
      ...(result.retryAfterSeconds === undefined
        ? {}
        : { retryAfterMs: result.retryAfterSeconds * 1000 }),
    };
  }
  if (result.synapse.condensed === null) {
    return {
      ok: false,
      status: 200,
      message: 'the miner returned no payload',
      latencyMs,
      answered: true,
    };
  }
  return { ok: true, raw: result.synapse.condensed, latencyMs };
}

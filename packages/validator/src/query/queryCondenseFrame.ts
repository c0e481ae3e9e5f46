import {
  Condense,
  type Dendrite,
  type PayloadLimits,
  type ReceivedPayload,
  receivePayloadFrame,
} from '@signal/core';
import type { MinerTarget } from './MinerTarget';

/** A binary-route Condense's fate: the payload decoded as it streamed, or a failure status. */
export type FrameQueryOutcome =
  | { ok: true; received: ReceivedPayload; latencyMs: number }
  | { ok: false; status: number; message: string; latencyMs: number };

export interface QueryCondenseFrameParameters {
  dendrite: Dendrite;
  miner: Pick<MinerTarget, 'axon'>;
  context: string;
  targetModel: string;
  tier: string;
  timeoutSeconds: number;
  /** The tier's limits and the evaluation model's geometry and cache dtype. */
  limits: PayloadLimits;
  signal?: AbortSignal;
}

/**
 * Sends one Condense synapse to the miner's binary route and reads the payload frame as it
 * streams: the header is vetted against the tier before a tensor byte is read (413 past
 * the byte cap), each layer is checked against its sha256 and dequantized into the
 * evaluation model's cache dtype on arrival. Never throws for the peer's failings.
 */
export async function queryCondenseFrame({
  dendrite,
  miner,
  context,
  targetModel,
  tier,
  timeoutSeconds,
  limits,
  signal,
}: QueryCondenseFrameParameters): Promise<FrameQueryOutcome> {
  const result = await dendrite.binary(
    miner.axon,
    Condense,
    { context, target_model: targetModel, tier, adapter: null, condensed: null },
    {
      timeout: timeoutSeconds,
      ...(signal ? { signal } : {}),
      receive: (body) =>
        receivePayloadFrame(body.chunks, {
          limits,
          kvDtype: limits.geometry?.kvDtype ?? 'float32',
          contentLength: body.contentLength,
        }),
    },
  );
  const latencyMs = result.processTime * 1000;
  if (!result.ok) return { ok: false, status: result.status, message: result.message, latencyMs };
  return { ok: true, received: result.value, latencyMs };
}

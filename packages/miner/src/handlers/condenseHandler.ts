import {
  type AxonRequestContext,
  assertContextFits,
  type BinaryAnswer,
  type CondenseSynapse,
  type EncodedPayload,
  framePayload,
  getTier,
  type TierConfig,
} from '@signal/core';
import { wirePayloadFor } from '../condensers/payloadForRoute';
import { condenserPlan } from '../config/condenserPlan';
import type { TierMethod } from '../config/MinerConfigSchema';
import { assertServed } from '../models/assertServed';
import { MinerRequestError } from '../models/MinerRequestError';
import type { MinerContext } from './MinerContext';
import { refusalOf } from './refusalOf';

/**
 * The checks a Condense request must pass before it queues (and before it counts against
 * the caller's quota): a known tier this miner serves, a context that fits it, and a target
 * model this miner serves for that tier.
 */
export function checkCondense(
  miner: MinerContext,
  synapse: CondenseSynapse,
): { tier: TierConfig; method: TierMethod } {
  const tier = getTier(miner.tiers, synapse.tier);
  const method = Object.hasOwn(miner.config.tiers, synapse.tier)
    ? miner.config.tiers[synapse.tier]
    : undefined;
  if (!method) {
    throw new MinerRequestError('MINER_NOT_SERVED', `Tier "${synapse.tier}" is not served here.`, {
      details: `Served tiers: ${Object.keys(miner.config.tiers).join(', ')}.`,
    });
  }
  assertContextFits(tier, synapse.context);
  assertServed(miner.config.models, synapse.target_model);
  return { tier, method };
}

/** Answers `Condense` on the synapse route: the payload as base64 tensors inside the JSON. */
export function condenseHandler(miner: MinerContext) {
  return async (
    synapse: CondenseSynapse,
    context: AxonRequestContext,
  ): Promise<CondenseSynapse> => {
    try {
      const { payload, tier } = await condensed(miner, synapse, context);
      return { ...synapse, condensed: wirePayloadFor(payload, tier, synapse.target_model) };
    } catch (error) {
      throw refusalOf(error);
    }
  };
}

/**
 * Answers `Condense` on the binary route (`/Condense/binary`): the payload as a frame of
 * raw little-endian tensors, streamed on the request's own connection.
 */
export function condenseBinaryHandler(miner: MinerContext) {
  return async (synapse: CondenseSynapse, context: AxonRequestContext): Promise<BinaryAnswer> => {
    try {
      return framePayload((await condensed(miner, synapse, context)).payload);
    } catch (error) {
      throw refusalOf(error);
    }
  };
}

/**
 * The tier's configured condenser over the context, for the target model, run by a model
 * worker (the main thread only awaits it); the payload comes back with its tensors as raw
 * bytes, already quantized when the tier says so.
 */
async function condensed(
  miner: MinerContext,
  synapse: CondenseSynapse,
  context: AxonRequestContext,
): Promise<{ payload: EncodedPayload; tier: TierConfig }> {
  const { tier, method } = checkCondense(miner, synapse);
  const result = await miner.host.run(
    'condense',
    {
      context: synapse.context,
      targetModel: synapse.target_model,
      adapter: synapse.adapter,
      tier,
      plan: condenserPlan(method),
      dtype: miner.config.payload_dtype,
    },
    { lane: synapse.target_model, signal: context.signal },
  );
  for (const adapter of result.activatedAdapters) miner.adapters.add(adapter);
  const { payload } = result;
  miner.metrics.observeCondense(
    method.method,
    result.timings,
    payload.condensed_tokens / payload.original_tokens,
  );
  miner.logger.debug(
    {
      tier: tier.name,
      method: method.method,
      model: synapse.target_model,
      original: payload.original_tokens,
      condensed: payload.condensed_tokens,
      timings: result.timings,
    },
    'condensed',
  );
  return { payload, tier };
}

import { type AxonRequestContext, type CondenseSynapse, getTier } from '@signal/core';
import { condense } from '../condensers/condense';
import { condenserPlan } from '../config/condenserPlan';
import { MinerRequestError } from '../models/MinerRequestError';
import type { MinerContext } from './MinerContext';
import { refusalOf } from './refusalOf';

/** Answers `Condense`: the tier's configured condenser over the context, for the target model. */
export function condenseHandler(miner: MinerContext) {
  return async (
    synapse: CondenseSynapse,
    context: AxonRequestContext,
  ): Promise<CondenseSynapse> => {
    try {
      const tier = getTier(miner.tiers, synapse.tier);
      const method = miner.config.tiers[synapse.tier];
      if (!method || !Object.hasOwn(miner.config.tiers, synapse.tier)) {
        throw new MinerRequestError(
          'MINER_NOT_SERVED',
          `Tier "${synapse.tier}" is not served here.`,
          {
            details: `Served tiers: ${Object.keys(miner.config.tiers).join(', ')}.`,
          },
        );
      }
      const result = await condense(miner.models, {
        context: synapse.context,
        targetModel: synapse.target_model,
        adapter: synapse.adapter,
        tier,
        plan: condenserPlan(method),
        dtype: miner.config.payload_dtype,
        signal: context.signal,
        windowAttention: miner.windowAttention,
      });
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
      return { ...synapse, condensed: payload };
    } catch (error) {
      throw refusalOf(error);
    }
  };
}

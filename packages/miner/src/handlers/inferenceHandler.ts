import {
  type AxonRequestContext,
  type CondensedPayload,
  type InferenceSynapse,
  validatePayload,
} from '@signal/core';
import { type GenerationOptions, kvCacheFromPayload } from '@signal/runtime';
import { MinerRequestError } from '../models/MinerRequestError';
import type { TargetModelLease } from '../models/TargetModels';
import type { MinerContext } from './MinerContext';
import { refusalOf } from './refusalOf';

/** Answers `Inference`: generates from the prompt, on top of a condensed context when one is sent. */
export function inferenceHandler(miner: MinerContext) {
  return async (
    synapse: InferenceSynapse,
    context: AxonRequestContext,
  ): Promise<InferenceSynapse> => {
    try {
      const { text, tokens } = await infer(miner, synapse, context.signal);
      miner.metrics.generatedTokens.inc(tokens.length);
      return { ...synapse, completion: text, tokens };
    } catch (error) {
      throw refusalOf(error);
    }
  };
}

async function infer(
  miner: MinerContext,
  synapse: InferenceSynapse,
  signal: AbortSignal,
): Promise<{ text: string; tokens: number[] }> {
  const limit = miner.config.limits.max_new_tokens;
  if (synapse.max_new_tokens > limit) {
    throw new MinerRequestError(
      'MINER_BAD_REQUEST',
      `max_new_tokens ${synapse.max_new_tokens} exceeds this miner's limit max_new_tokens=${limit}.`,
    );
  }
  miner.models.assertServed(synapse.model);
  const condensed =
    synapse.condensed === null ? null : checkCondensed(miner, synapse.condensed, synapse.model);
  const lease = await miner.models.acquire(synapse.model, synapse.adapter, signal);
  try {
    const options = generationOptions(synapse, lease, signal);
    if (condensed?.format === 'kv') {
      const { numLayers, kvHeads, headDim } = lease.lm.signature;
      const cache = kvCacheFromPayload(condensed, { expect: { numLayers, kvHeads, headDim } });
      // The condensed context already holds the start of the sequence: no second BOS.
      return await lease.lm.generateText(synapse.prompt, {
        ...options,
        cache,
        addSpecialTokens: false,
      });
    }
    if (condensed?.format === 'soft') {
      throw new MinerRequestError(
        'MINER_NOT_SERVED',
        'Inference from soft tokens is not served here: send a kv or text payload.',
      );
    }
    const prompt = condensed ? `${condensed.text}\n${synapse.prompt}` : synapse.prompt;
    return await lease.lm.generateText(prompt, options);
  } finally {
    lease.release();
  }
}

/** A condensed context from the caller, checked against the largest tier's limits before decoding. */
function checkCondensed(miner: MinerContext, raw: unknown, model: string): CondensedPayload {
  const maxPayloadBytes = Math.max(...miner.tiers.map((tier) => tier.maxPayloadBytes));
  return validatePayload(raw, { maxPayloadBytes, expectedModel: model });
}

function generationOptions(
  synapse: InferenceSynapse,
  lease: TargetModelLease,
  signal: AbortSignal,
): GenerationOptions {
  return {
    maxNewTokens: synapse.max_new_tokens,
    temperature: synapse.temperature,
    topK: synapse.top_k,
    topP: synapse.top_p,
    ...(synapse.seed === null ? {} : { seed: synapse.seed }),
    stopStrings: synapse.stop,
    signal,
    ...(lease.feeds ? { extraFeeds: lease.feeds } : {}),
  };
}

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

/**
 * The checks an Inference request must pass before it queues: the model is served, the
 * token budget fits, and a condensed context is within limits and for that model. Streams
 * answer 200 before the first token, so these must be settled first to refuse with a 4xx.
 */
export function checkInference(
  miner: MinerContext,
  synapse: InferenceSynapse,
): CondensedPayload | null {
  const limit = miner.config.limits.max_new_tokens;
  if (synapse.max_new_tokens > limit) {
    throw new MinerRequestError(
      'MINER_BAD_REQUEST',
      `max_new_tokens ${synapse.max_new_tokens} exceeds this miner's limit max_new_tokens=${limit}.`,
    );
  }
  miner.models.assertServed(synapse.model);
  if (synapse.condensed === null) return null;
  const maxPayloadBytes = Math.max(...miner.tiers.map((tier) => tier.maxPayloadBytes));
  const condensed = validatePayload(synapse.condensed, {
    maxPayloadBytes,
    expectedModel: synapse.model,
  });
  if (condensed.format === 'soft') {
    throw new MinerRequestError(
      'MINER_NOT_SERVED',
      'Inference from soft tokens is not served here: send a kv or text payload.',
    );
  }
  return condensed;
}

/** Answers a non-streaming `Inference` with the whole completion and its token ids. */
export function inferenceForward(miner: MinerContext) {
  return async (
    synapse: InferenceSynapse,
    context: AxonRequestContext,
  ): Promise<InferenceSynapse> => {
    try {
      const condensed = checkInference(miner, synapse);
      const lease = await miner.models.acquire(synapse.model, synapse.adapter, context.signal);
      try {
        const { prompt, options } = generationInput(synapse, condensed, lease, context.signal);
        const { text, tokens } = await lease.lm.generateText(prompt, options);
        miner.metrics.generatedTokens.inc(tokens.length);
        return { ...synapse, completion: text, tokens };
      } finally {
        lease.release();
      }
    } catch (error) {
      throw refusalOf(error);
    }
  };
}

/** Streams an `Inference` (when it asks with `stream: true`): the completion's text deltas as they decode. */
export function inferenceStream(miner: MinerContext) {
  return async function* stream(
    synapse: InferenceSynapse,
    context: AxonRequestContext,
  ): AsyncGenerator<string> {
    const condensed = checkInference(miner, synapse);
    const lease = await miner.models.acquire(synapse.model, synapse.adapter, context.signal);
    try {
      const { prompt, options } = generationInput(synapse, condensed, lease, context.signal);
      for await (const chunk of lease.lm.generate(prompt, options)) {
        if (chunk.type === 'done') break;
        miner.metrics.generatedTokens.inc();
        if (chunk.text.length > 0) yield chunk.text;
      }
    } finally {
      lease.release();
    }
  };
}

/** The prompt and generation options for a request, continuing from its condensed context if any. */
function generationInput(
  synapse: InferenceSynapse,
  condensed: CondensedPayload | null,
  lease: TargetModelLease,
  signal: AbortSignal,
): { prompt: string; options: GenerationOptions } {
  const options: GenerationOptions = {
    maxNewTokens: synapse.max_new_tokens,
    temperature: synapse.temperature,
    topK: synapse.top_k,
    topP: synapse.top_p,
    ...(synapse.seed === null ? {} : { seed: synapse.seed }),
    stopStrings: synapse.stop,
    signal,
    ...(lease.feeds ? { extraFeeds: lease.feeds } : {}),
  };
  if (condensed?.format === 'kv') {
    const { numLayers, kvHeads, headDim } = lease.lm.signature;
    const cache = kvCacheFromPayload(condensed, { expect: { numLayers, kvHeads, headDim } });
    // The condensed context already holds the start of the sequence: no second BOS.
    return { prompt: synapse.prompt, options: { ...options, cache, addSpecialTokens: false } };
  }
  if (condensed?.format === 'text') {
    return { prompt: `${condensed.text}\n${synapse.prompt}`, options };
  }
  return { prompt: synapse.prompt, options };
}

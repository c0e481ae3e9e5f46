import {
  type AxonRequestContext,
  type CondensedPayload,
  type InferenceSynapse,
  validatePayload,
} from '@signal/core';
import { assertServed } from '../models/assertServed';
import { MinerRequestError } from '../models/MinerRequestError';
import type { InferenceJob } from '../worker/MinerJobs';
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
  assertServed(miner.config.models, synapse.model);
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

function inferenceJob(
  synapse: InferenceSynapse,
  condensed: CondensedPayload | null,
  stream: boolean,
): InferenceJob {
  return {
    model: synapse.model,
    adapter: synapse.adapter,
    prompt: synapse.prompt,
    condensed,
    maxNewTokens: synapse.max_new_tokens,
    temperature: synapse.temperature,
    topK: synapse.top_k,
    topP: synapse.top_p,
    seed: synapse.seed,
    stop: synapse.stop,
    stream,
  };
}

/** Answers a non-streaming `Inference` with the whole completion and its token ids. */
export function inferenceForward(miner: MinerContext) {
  return async (
    synapse: InferenceSynapse,
    context: AxonRequestContext,
  ): Promise<InferenceSynapse> => {
    try {
      const condensed = checkInference(miner, synapse);
      const { completion, tokens, activatedAdapters } = await miner.host.run(
        'inference',
        inferenceJob(synapse, condensed, false),
        { lane: synapse.model, signal: context.signal },
      );
      for (const adapter of activatedAdapters) miner.adapters.add(adapter);
      miner.metrics.generatedTokens.inc(tokens.length);
      return { ...synapse, completion, tokens };
    } catch (error) {
      throw refusalOf(error);
    }
  };
}

/**
 * Streams an `Inference` (when it asks with `stream: true`): the completion's text deltas as a
 * model worker decodes them. A client that goes away stops the generation at its next step.
 */
export function inferenceStream(miner: MinerContext) {
  return async function* stream(
    synapse: InferenceSynapse,
    context: AxonRequestContext,
  ): AsyncGenerator<string> {
    const condensed = checkInference(miner, synapse);
    const generation = miner.host.stream('inference', inferenceJob(synapse, condensed, true), {
      lane: synapse.model,
      signal: context.signal,
    });
    let deltas = 0;
    for await (const delta of generation) {
      deltas++;
      miner.metrics.generatedTokens.inc();
      yield delta;
    }
    const { tokens, activatedAdapters } = await generation.result;
    // Tokens that decoded to no text yet sent no delta; count them too.
    miner.metrics.generatedTokens.inc(tokens.length - deltas);
    for (const adapter of activatedAdapters) miner.adapters.add(adapter);
  };
}

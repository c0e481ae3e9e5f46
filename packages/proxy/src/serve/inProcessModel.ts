import type { CondensedPayload } from '@signal/core';
import { declaredByteLength, decodeTensor } from '@signal/core';
import {
  CausalLM,
  type CausalLMLoadOptions,
  type KvCache,
  kvCacheFromPayload,
} from '@signal/runtime';
import type { ServeChunk, ServeGeneration, ServeModel } from './ServeModel';

/** Context length when neither config.json nor the tokenizer says. */
const FALLBACK_CONTEXT = 2_048;

/**
 * A ServeModel over a CausalLM in this process: the runtime's decode loop, continuing from
 * a KV payload (its cache, positions from `original_length`), soft tokens (prefilled as
 * embeddings) or compressed text (encoded ahead of the prompt, with BOS).
 */
export async function loadInProcessModel(
  dir: string,
  options: CausalLMLoadOptions = {},
): Promise<ServeModel> {
  const lm = await CausalLM.load(dir, options);
  const { config } = lm.modelDir;
  const { numLayers, kvHeads, headDim, supportsPrunedCache, inputsEmbeds } = lm.signature;
  return {
    tokenizer: lm.tokenizer,
    geometry: { layers: numLayers, kvHeads, headDim, hidden: config.hidden_size },
    supportsPrunedCache,
    takesEmbeddings: inputsEmbeds,
    contextLength:
      config.max_position_embeddings ?? lm.tokenizer.config.model_max_length ?? FALLBACK_CONTEXT,
    generate: (generation, signal) => generateFrom(lm, generation, signal),
    close: () => lm.dispose(),
  };
}

async function* generateFrom(
  lm: CausalLM,
  generation: ServeGeneration,
  signal: AbortSignal,
): AsyncGenerator<ServeChunk> {
  const { condensed } = generation;
  let ids = generation.ids;
  let cache: KvCache | undefined;
  let prefix = 0;
  if (condensed?.format === 'text') {
    const head = lm.tokenizer.encode(condensed.text);
    ids = [...head, ...ids];
  } else if (condensed) {
    cache = await cacheOf(lm, condensed);
    prefix = cache.length;
  }
  for await (const chunk of lm.generate(ids, {
    ...generation.settings,
    signal,
    ...(cache ? { cache } : {}),
  })) {
    if (chunk.type === 'done') {
      yield { type: 'done', finishReason: chunk.finishReason, promptTokens: prefix + ids.length };
      return;
    }
    yield chunk;
  }
}

async function cacheOf(
  lm: CausalLM,
  condensed: Exclude<CondensedPayload, { format: 'text' }>,
): Promise<KvCache> {
  if (condensed.format === 'kv') {
    const { numLayers, kvHeads, headDim } = lm.signature;
    return kvCacheFromPayload(condensed, { expect: { numLayers, kvHeads, headDim } });
  }
  const [seq] = condensed.embeddings.shape as [number, number];
  const { embeddings } = condensed;
  const { data } = decodeTensor(embeddings, {
    maxBytes: declaredByteLength(embeddings.dtype, embeddings.shape),
  });
  const { cache } = await lm.forward({
    embeds: { data: Float32Array.from(data as ArrayLike<number>), batch: 1, seq },
    cache: lm.emptyCache(1),
    logitsToKeep: 1,
  });
  return cache;
}

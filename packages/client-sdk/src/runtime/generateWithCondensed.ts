import {
  type CausalLM,
  type GenerationOptions,
  type GenerationResult,
  type KvCache,
  kvCacheFromPayload,
} from '@signal/runtime';
import type { CondensedContext } from '../condensed/CondensedContext';
import { ClientError } from '../errors/ClientError';

/** Generation settings as the runtime takes them; the cache comes from the condensed context. */
export type GenerateWithCondensedOptions = Omit<GenerationOptions, 'cache'>;

function unsupported(shortMessage: string, details: string, cause?: unknown): ClientError {
  return new ClientError('CLIENT_UNSUPPORTED_FORMAT', shortMessage, { details, cause });
}

/** The cache a condensed KV or soft context stands for, ready to continue from. */
async function cacheOf(model: CausalLM, condensed: CondensedContext): Promise<KvCache | undefined> {
  const { numLayers, kvHeads, headDim, supportsPrunedCache, inputsEmbeds } = model.signature;
  if (condensed.format === 'kv') {
    if (!supportsPrunedCache) {
      throw unsupported(
        'This model cannot continue from a pruned KV cache.',
        'its graph derives positions from the attention mask (GroupQueryAttention)',
      );
    }
    try {
      return kvCacheFromPayload(condensed.toPayload(), {
        expect: { numLayers, kvHeads, headDim },
      });
    } catch (cause) {
      throw unsupported(
        `The condensed KV cache does not fit this model.`,
        cause instanceof Error ? cause.message : String(cause),
        cause,
      );
    }
  }
  if (condensed.format === 'soft') {
    if (!inputsEmbeds) {
      throw unsupported(
        'This model does not take soft tokens.',
        'its graph has no inputs_embeds input',
      );
    }
    const [seq] = condensed.embeddings.shape as [number, number];
    const { cache } = await model.forward({
      embeds: { data: condensed.embeddings.data, batch: 1, seq },
      cache: model.emptyCache(1),
      logitsToKeep: 1,
    });
    return cache;
  }
  return undefined;
}

/**
 * Answers `prompt` from a condensed context on a local model: a KV context becomes the
 * model's cache (position ids continue at `original_length`, so the kept keys stay where
 * RoPE put them), soft tokens are prefilled as embeddings, and compressed text is encoded
 * ahead of the prompt. The prompt is encoded without special tokens after a cache by default, since
 * the condensed context already began the sequence.
 */
export async function generateWithCondensed(
  model: CausalLM,
  condensed: CondensedContext,
  prompt: string,
  options: GenerateWithCondensedOptions = {},
): Promise<GenerationResult> {
  if (condensed.format === 'text') {
    // Token ids, not a joined string: the prompt's tokens follow the text's exactly as they
    // follow a cache, whatever the tokenizer would make of the two strings run together.
    const ids = [
      ...model.tokenizer.encode(condensed.text),
      ...model.tokenizer.encode(prompt, { addSpecialTokens: false }),
    ];
    return model.generateText(ids, options);
  }
  const cache = await cacheOf(model, condensed);
  return model.generateText(prompt, {
    addSpecialTokens: false,
    ...options,
    ...(cache ? { cache } : {}),
  });
}

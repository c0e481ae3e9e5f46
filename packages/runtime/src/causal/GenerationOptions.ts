import type { Tensor } from 'onnxruntime-node';
import { z } from 'zod';
import type { KvCache } from '../kv/KvCache';
import { SamplingOptionsSchema } from './SamplingOptions';

/** The serialisable part of a generation request. */
export const GenerationSettingsSchema = SamplingOptionsSchema.extend({
  maxNewTokens: z.number().int().positive().default(64),
  /** Generation stops before the first occurrence of any of these strings; it is not returned. */
  stopStrings: z.array(z.string().min(1)).default([]),
  /** Token ids that end generation; the model's EOS ids are added unless `ignoreEos`. */
  stopTokens: z.array(z.number().int().nonnegative()).default([]),
  ignoreEos: z.boolean().default(false),
  /** Strip special tokens from the streamed text. */
  skipSpecialTokens: z.boolean().default(true),
  /** Encode a string prompt with the tokenizer's special tokens (e.g. BOS). */
  addSpecialTokens: z.boolean().default(true),
});

export type GenerationSettings = z.infer<typeof GenerationSettingsSchema>;

export type GenerationOptions = z.input<typeof GenerationSettingsSchema> & {
  /** Cancels generation; the stream then throws a CausalLMError with code LM_ABORTED. */
  signal?: AbortSignal;
  /** Continue from this cache (e.g. a condensed context); the prompt is fed on top of it. */
  cache?: KvCache;
  extraFeeds?: Readonly<Record<string, Tensor>>;
};

export type FinishReason = 'stop_token' | 'stop_string' | 'max_tokens';

/** What a generation stream yields: one chunk per accepted token, then a final `done`. */
export type GenerationChunk =
  | { type: 'token'; token: number; text: string }
  | { type: 'done'; text: string; finishReason: FinishReason; cache: KvCache };

export interface GenerationResult {
  text: string;
  tokens: number[];
  finishReason: FinishReason;
}

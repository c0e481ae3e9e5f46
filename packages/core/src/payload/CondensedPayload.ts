import { z } from 'zod';
import { BtTensorSchema } from '../tensor/BtTensor';

/*
 * The wire form of a condensed context, in snake_case so a Python peer can declare the same
 * pydantic models. Token counts are positive: a payload condenses something into something,
 * and a zero count would make the compression rate meaningless.
 */
const tokenCount = z.number().int().positive();

/** A pruned or quantised KV cache: per layer `[1, kv_heads, kept, head_dim]` keys and values. */
export const KvPayloadSchema = z.object({
  format: z.literal('kv'),
  model: z.string().min(1),
  adapter: z.string().min(1).nullable().default(null),
  original_tokens: tokenCount,
  condensed_tokens: tokenCount,
  /** Where position ids continue: cached keys are already rotated for positions below it. */
  original_length: z.number().int().positive(),
  /** Tokens kept per head, equal in every layer. */
  kept: tokenCount,
  layers: z.array(z.object({ key: BtTensorSchema, value: BtTensorSchema })).min(1),
});

/** Soft tokens for models that accept `inputs_embeds`: one `[n, hidden]` tensor. */
export const SoftPayloadSchema = z.object({
  format: z.literal('soft'),
  model: z.string().min(1),
  original_tokens: tokenCount,
  condensed_tokens: tokenCount,
  embeddings: BtTensorSchema,
});

/** Compressed text; the token counts are under the target model's tokenizer. */
export const TextPayloadSchema = z.object({
  format: z.literal('text'),
  model: z.string().min(1),
  original_tokens: tokenCount,
  condensed_tokens: tokenCount,
  text: z.string().min(1),
});

export const CondensedPayloadSchema = z.discriminatedUnion('format', [
  KvPayloadSchema,
  SoftPayloadSchema,
  TextPayloadSchema,
]);

export type KvPayload = z.infer<typeof KvPayloadSchema>;
export type SoftPayload = z.infer<typeof SoftPayloadSchema>;
export type TextPayload = z.infer<typeof TextPayloadSchema>;
export type CondensedPayload = z.infer<typeof CondensedPayloadSchema>;
export type CondensedPayloadFormat = CondensedPayload['format'];

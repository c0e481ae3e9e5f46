import { z } from 'zod';

const tokenIds = z.union([z.number().int().nonnegative(), z.array(z.number().int().nonnegative())]);

/**
 * The part of a Hugging Face `config.json` the runtime reads. Unknown keys pass through
 * untouched because real configs carry dozens of fields we have no use for.
 */
export const ModelConfigSchema = z.looseObject({
  model_type: z.string(),
  vocab_size: z.number().int().positive(),
  hidden_size: z.number().int().positive(),
  num_hidden_layers: z.number().int().positive(),
  num_attention_heads: z.number().int().positive(),
  num_key_value_heads: z.number().int().positive().optional(),
  head_dim: z.number().int().positive().nullish(),
  max_position_embeddings: z.number().int().positive().optional(),
  bos_token_id: tokenIds.nullish(),
  eos_token_id: tokenIds.nullish(),
  pad_token_id: tokenIds.nullish(),
  tie_word_embeddings: z.boolean().optional(),
});

export type ModelConfig = z.infer<typeof ModelConfigSchema>;

/** `generation_config.json`: only the token ids that end or pad generation matter here. */
export const GenerationConfigSchema = z.looseObject({
  bos_token_id: tokenIds.nullish(),
  eos_token_id: tokenIds.nullish(),
  pad_token_id: tokenIds.nullish(),
});

export type GenerationConfig = z.infer<typeof GenerationConfigSchema>;

/** Normalises HF's "one id or a list of ids" fields to a list. */
export function tokenIdList(value: number | readonly number[] | null | undefined): number[] {
  if (value === null || value === undefined) return [];
  return typeof value === 'number' ? [value] : [...value];
}

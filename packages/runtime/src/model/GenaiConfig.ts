import { z } from 'zod';

const tokenIds = z.union([z.number().int().nonnegative(), z.array(z.number().int().nonnegative())]);

/**
 * onnxruntime-genai's `genai_config.json`: the decoder's file, its I/O names (`%d` stands for
 * the layer) and shapes. Unknown keys (search options, session options, other pipelines)
 * pass through.
 */
export const GenaiConfigSchema = z.looseObject({
  model: z.looseObject({
    type: z.string(),
    vocab_size: z.number().int().positive(),
    context_length: z.number().int().positive().optional(),
    bos_token_id: tokenIds.nullish(),
    eos_token_id: tokenIds.nullish(),
    pad_token_id: tokenIds.nullish(),
    decoder: z.looseObject({
      filename: z.string().min(1),
      head_size: z.number().int().positive(),
      hidden_size: z.number().int().positive(),
      num_attention_heads: z.number().int().positive(),
      num_hidden_layers: z.number().int().positive(),
      num_key_value_heads: z.number().int().positive(),
      inputs: z
        .looseObject({
          input_ids: z.string().optional(),
          inputs_embeds: z.string().optional(),
          attention_mask: z.string().optional(),
          position_ids: z.string().optional(),
          past_key_names: z.string().optional(),
          past_value_names: z.string().optional(),
        })
        .optional(),
      outputs: z
        .looseObject({
          logits: z.string().optional(),
          present_key_names: z.string().optional(),
          present_value_names: z.string().optional(),
        })
        .optional(),
    }),
  }),
});

export type GenaiConfig = z.infer<typeof GenaiConfigSchema>;
export type GenaiConfigInput = z.input<typeof GenaiConfigSchema>;

import { z } from 'zod';

/** `layers_to_transform` / `layers_pattern` accept a single value or a list, as PEFT does. */
const IntOrList = z.union([
  z.number().int().nonnegative(),
  z.array(z.number().int().nonnegative()),
]);
const StringOrList = z.union([z.string(), z.array(z.string())]);

/**
 * The part of PEFT's `adapter_config.json` that decides what a LoRA adapter computes.
 * Unknown keys (dropout, task type, revision, ...) are kept but do not affect inference.
 * Defaults are PEFT's `LoraConfig` defaults.
 */
export const AdapterConfigSchema = z.looseObject({
  peft_type: z.literal('LORA').default('LORA'),
  r: z.number().int().positive().default(8),
  lora_alpha: z.number().finite().default(8),
  use_rslora: z.boolean().default(false),
  target_modules: z
    .union([z.string(), z.array(z.string())])
    .nullable()
    .default(null),
  rank_pattern: z.record(z.string(), z.number().int().positive()).nullable().default({}),
  alpha_pattern: z.record(z.string(), z.number().finite()).nullable().default({}),
  layers_to_transform: IntOrList.nullable().default(null),
  layers_pattern: StringOrList.nullable().default(null),
  fan_in_fan_out: z.boolean().default(false),
  use_dora: z.boolean().default(false),
  modules_to_save: z.array(z.string()).nullable().default(null),
  exclude_modules: z
    .union([z.string(), z.array(z.string())])
    .nullable()
    .default(null),
  bias: z.enum(['none', 'all', 'lora_only']).default('none'),
  base_model_name_or_path: z.string().nullable().optional(),
});

export type AdapterConfig = z.infer<typeof AdapterConfigSchema>;
/** What a writer supplies; every field with a PEFT default may be left out. */
export type AdapterConfigInput = z.input<typeof AdapterConfigSchema>;

import { z } from 'zod';

/** `stop`: one string or up to four, as OpenAI takes it. */
export const StopSchema = z
  .union([z.string(), z.array(z.string()).max(4, 'stop takes at most 4 sequences')], {
    error: 'stop must be a string or an array of strings',
  })
  .nullable()
  .optional();

/** The stop sequences of a request as a list (empty strings dropped: they would stop at once). */
export function stopList(stop: z.infer<typeof StopSchema>): string[] {
  if (stop === null || stop === undefined) return [];
  return (typeof stop === 'string' ? [stop] : stop).filter((s) => s.length > 0);
}

export const StreamOptionsSchema = z
  .looseObject({ include_usage: z.boolean().nullable().optional() })
  .nullable()
  .optional();

/**
 * The sampling and streaming fields chat and text completions share, with OpenAI's ranges.
 * Each is optional and nullable, as the official clients may send `null` for "default".
 */
export const SamplingFields = {
  model: z.string({ error: 'model is required' }).min(1, 'model must not be empty'),
  max_tokens: z.int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  n: z.int().positive().nullable().optional(),
  stop: StopSchema,
  seed: z.int().nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: StreamOptionsSchema,
};

import { z } from 'zod';

/**
 * How the next token is chosen. Temperature 0 is greedy (argmax). Otherwise logits are
 * divided by the temperature, cut to the `topK` most likely tokens (0 = no cut) and to the
 * smallest set whose probability reaches `topP`, then sampled with a PRNG seeded by `seed`.
 */
export const SamplingOptionsSchema = z.object({
  temperature: z.number().finite().nonnegative().default(0),
  topK: z.number().int().nonnegative().default(0),
  topP: z.number().gt(0).lte(1).default(1),
  seed: z.number().int().default(0),
});

export type SamplingOptions = z.infer<typeof SamplingOptionsSchema>;
export type SamplingOptionsInput = z.input<typeof SamplingOptionsSchema>;

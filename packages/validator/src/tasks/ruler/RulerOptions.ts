import { z } from 'zod';

const count = (min: number, max: number, fallback: number) =>
  z.int().min(min).max(max).default(fallback);

/**
 * The knobs of the RULER-style families, with defaults sized for the research tier
 * (2 500 characters, about 700 reference tokens). Value words are distinct across a
 * context, so pairs × value tokens is bounded by the vocabulary's values.
 */
export const RulerOptionsSchema = z.object({
  multiNeedle: z
    .object({
      /** Needles that may be asked. */
      needles: count(1, 32, 2),
      /** Pairs of the same shape that are never asked. */
      distractors: count(0, 32, 8),
      /** Ask one of the needles, or every one (scored only when all are right). */
      retrieve: z.enum(['one', 'all']).default('all'),
      valueTokens: count(1, 8, 2),
    })
    .prefault({}),
  multiQuery: z
    .object({
      pairs: count(1, 32, 12),
      /** Different keys asked of the one condensed context. */
      questions: count(1, 32, 4),
      valueTokens: count(1, 8, 2),
    })
    .prefault({})
    .refine((options) => options.questions <= options.pairs, {
      message: 'cannot ask more questions than there are pairs',
      path: ['questions'],
    }),
  variableTracking: z
    .object({
      /** Chains in the context; one is asked, the others are distractors. */
      chains: count(1, 16, 2),
      /** Keys per chain: the first is bound to the value, each next one to the one before. */
      links: count(1, 16, 4),
      valueTokens: count(1, 8, 2),
    })
    .prefault({}),
  aggregation: z
    .object({
      /** Distinct values in the context. */
      values: count(2, 32, 6),
      /** Occurrences of the most frequent value. */
      modeCount: count(2, 64, 6),
      /** Every other value occurs at least this many times fewer. */
      margin: count(1, 63, 2),
    })
    .prefault({})
    .refine((options) => options.margin < options.modeCount, {
      message: 'margin must be below modeCount, so every value occurs at least once',
      path: ['margin'],
    }),
});
export type RulerOptions = z.infer<typeof RulerOptionsSchema>;
export type RulerOptionsInput = z.input<typeof RulerOptionsSchema>;

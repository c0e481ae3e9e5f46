import { z } from 'zod';

/** Mean accuracy at one compression ratio, with its 95 % confidence interval. */
export const QualityPointSchema = z.object({
  /** Fraction of the context removed (0 = full context). */
  ratio: z.number().min(0).max(1),
  accuracy: z.number().min(0).max(1),
  low: z.number().min(0).max(1),
  high: z.number().min(0).max(1),
  /** What the mean is over: seeds for a leaderboard, evaluations for a validator. */
  n: z.int().positive(),
});
export type QualityPoint = z.infer<typeof QualityPointSchema>;

export const QualityMethodSchema = z.object({
  method: z.string().min(1),
  /** Whether the method condensed without knowing the question; null when unknown. */
  query_agnostic: z.boolean().nullable(),
  /** Ascending ratio. */
  points: z.array(QualityPointSchema).min(1),
});
export type QualityMethod = z.infer<typeof QualityMethodSchema>;

/** `GET /dashboard/api/quality`: accuracy against compression, per task family and method. */
export const QualityViewSchema = z.object({
  source: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('leaderboard'),
      /** The file's base name (never its path). */
      file: z.string().min(1),
      model: z.string().min(1),
      seeds: z.int().positive(),
      /** Epoch milliseconds the file was written. */
      written_at: z.int().nonnegative(),
    }),
    z.object({
      kind: z.literal('validator'),
      /** Evaluations the points are drawn from. */
      evaluations: z.int().nonnegative(),
    }),
  ]),
  families: z.array(z.object({ family: z.string().min(1), methods: z.array(QualityMethodSchema) })),
  generated_at: z.int().nonnegative(),
});
export type QualityView = z.infer<typeof QualityViewSchema>;

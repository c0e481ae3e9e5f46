import { z } from 'zod';
import { ScoringError } from './ScoringError';

export const ScoreInputSchema = z
  .object({
    /** How well the target model did with the condensed context, in [0, 1]. */
    accuracy: z.number().min(0).max(1),
    originalTokens: z.number().int().positive(),
    condensedTokens: z.number().int().nonnegative(),
    /** The tier's accelerate-reward scalar: the weight of compression against accuracy. */
    alpha: z.number().min(0).max(1),
    /** Whether the response passed validation at all. */
    valid: z.boolean(),
  })
  .refine((input) => input.condensedTokens <= input.originalTokens, {
    path: ['condensedTokens'],
    message: 'condensedTokens cannot exceed originalTokens',
  });

export type ScoreInput = z.infer<typeof ScoreInputSchema>;

/**
 * One response's score: `(accuracy·(1−α) + compression·α)` with `compression = 1 −
 * condensed/original`, but zero when the answer was wrong (accuracy 0), so compressing
 * into nonsense earns nothing, and zero for an invalid response whatever numbers it claims.
 */
export function scoreResponse(input: ScoreInput): number {
  // An invalid response's numbers are whatever the miner claimed, so they are not checked.
  if (input.valid === false) return 0;
  const parsed = ScoreInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new ScoringError('SCORE_INPUT_INVALID', 'Cannot score this response.', {
      details: z.prettifyError(parsed.error),
      cause: parsed.error,
    });
  }
  const { accuracy, originalTokens, condensedTokens, alpha } = parsed.data;
  if (accuracy === 0) return 0;
  const compression = 1 - condensedTokens / originalTokens;
  return accuracy * (1 - alpha) + compression * alpha;
}

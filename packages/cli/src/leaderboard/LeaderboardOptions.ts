import { REFERENCE_FAMILIES } from '@signal/validator';
import { z } from 'zod';
import { METHOD_NAMES } from './leaderboardMethods';

export const LEADERBOARD_RATIOS = [0.25, 0.5, 0.75, 0.875] as const;

/** What one leaderboard run covers; `quick` is the smaller setting that fits in two minutes. */
export const LeaderboardOptionsSchema = z.strictObject({
  families: z
    .array(z.enum(REFERENCE_FAMILIES))
    .min(1)
    .default([...REFERENCE_FAMILIES]),
  methods: z
    .array(z.string())
    .min(1)
    .default([...METHOD_NAMES])
    .superRefine((methods, context) => {
      for (const method of methods) {
        if (!METHOD_NAMES.includes(method)) {
          context.addIssue({
            code: 'custom',
            message: `unknown method "${method}" (known: ${METHOD_NAMES.join(', ')})`,
          });
        }
      }
    }),
  ratios: z
    .array(z.number().gt(0).lt(1))
    .min(1)
    .default([...LEADERBOARD_RATIOS]),
  /** Independent task samples; the confidence intervals are across them. */
  seeds: z.int().min(1).max(100).default(5),
  /** Tasks per family and seed. */
  tasks: z.int().min(1).max(1000).default(8),
  /** Longest context in characters (the research tier's by default). */
  contextChars: z.int().min(200).max(14_000).default(2500),
  seed: z.string().min(1).default('leaderboard'),
  /** Cores the run may use, and worker threads on them (the model host's budget). */
  threads: z.int().min(1).optional(),
  workers: z.int().min(1).optional(),
});
export type LeaderboardOptions = z.infer<typeof LeaderboardOptionsSchema>;
export type LeaderboardOptionsInput = z.input<typeof LeaderboardOptionsSchema>;

/** `--quick`: three seeds of three tasks, within two minutes on two cores. */
export const QUICK: Pick<LeaderboardOptionsInput, 'seeds' | 'tasks'> = { seeds: 3, tasks: 3 };

import { z } from 'zod';

/** Identifier-like names: family and method names appear in tables, plots and file names. */
const Name = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\([a-z0-9_]+\))?$/, 'a lowercase name, e.g. adakv(kvzip)');

/**
 * One cell of the condenser leaderboard: a method's accuracy on one task family at one
 * compression ratio (the fraction of cached positions removed), averaged over seeds, with
 * the half-width of its 95 % confidence interval across them (Student's t; 0 for one seed).
 * `full` (the whole context, ratio 0) and `oracle` (keeps exactly the answer-bearing
 * positions) are the ceilings; `query_agnostic` says whether the method condensed without
 * knowing the questions (the oracle does not).
 */
export const LeaderboardRowSchema = z.strictObject({
  family: Name,
  method: Name,
  ratio: z.number().min(0).lt(1),
  accuracy: z.number().min(0).max(1),
  ci95: z.number().min(0),
  query_agnostic: z.boolean(),
});
export type LeaderboardRow = z.infer<typeof LeaderboardRowSchema>;

export const LeaderboardMethodSchema = z.strictObject({
  name: Name,
  description: z.string().min(1),
  query_agnostic: z.boolean(),
});
export type LeaderboardMethod = z.infer<typeof LeaderboardMethodSchema>;

/**
 * What `signal leaderboard --json` prints and `--out` writes (`leaderboard.json`): the run's
 * setting, the methods, and one row per family × method × ratio (the `full` rows at ratio 0).
 */
export const LeaderboardSchema = z.strictObject({
  version: z.literal(1),
  /** The model every method ran on (`reference` for the builder's recall model). */
  model: z.string().min(1),
  /** The seed every task derives from, and how many seeds the intervals span. */
  seed: z.string().min(1),
  seeds: z.int().positive(),
  /** Tasks per family and seed. */
  tasks: z.int().positive(),
  /** Longest context, in characters (a tier's `maxContextChars`). */
  context_chars: z.int().positive(),
  ratios: z.array(z.number().gt(0).lt(1)).min(1),
  families: z.array(Name).min(1),
  methods: z.array(LeaderboardMethodSchema).min(1),
  rows: z.array(LeaderboardRowSchema).min(1),
  wall_seconds: z.number().min(0),
});
export type Leaderboard = z.infer<typeof LeaderboardSchema>;

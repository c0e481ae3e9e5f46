import { z } from 'zod';

/** Requests that earned nothing, by why: no answer in time, an answer not worth evaluating, a refusal. */
export const FailureCountsSchema = z.object({
  timeout: z.int().nonnegative(),
  invalid_payload: z.int().nonnegative(),
  refused: z.int().nonnegative(),
});
export type FailureCounts = z.infer<typeof FailureCountsSchema>;

export const FAILURE_KINDS = ['timeout', 'invalid_payload', 'refused'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Round-trip latency percentiles (nearest rank) over the answered requests. */
export const LatencyPercentilesSchema = z.object({
  p50: z.number().nonnegative(),
  p90: z.number().nonnegative(),
  p99: z.number().nonnegative(),
  count: z.int().positive(),
});
export type LatencyPercentiles = z.infer<typeof LatencyPercentilesSchema>;

/** One task family's share of a miner's epoch. */
export const FamilyScoreSchema = z.object({
  family: z.string().min(1),
  scored: z.int().nonnegative(),
  /** Mean per-response score (0 for a failure). */
  score: z.number().min(0).max(1),
  accuracy: z.number().min(0).max(1),
});
export type FamilyScore = z.infer<typeof FamilyScoreSchema>;

/** What one miner did in one validator epoch. */
export const MinerEpochSchema = z.object({
  epoch: z.int().positive(),
  /** The metagraph block of the epoch's sync. */
  block: z.int().nonnegative(),
  /** Epoch milliseconds the epoch ended at. */
  at: z.int().nonnegative(),
  tier: z.string().min(1),
  method: z.string().nullable(),
  requests: z.int().nonnegative(),
  scored: z.int().nonnegative(),
  valid: z.int().nonnegative(),
  score: z.number().min(0).max(1),
  accuracy: z.number().min(0).max(1),
  compression: z.number().min(0).max(1),
  families: z.array(FamilyScoreSchema),
  failures: FailureCountsSchema,
  latency_ms: LatencyPercentilesSchema.nullable(),
  /** The raw weight the validator computed at the end of the epoch (tier share × incentive). */
  weight: z.number().min(0),
  /** The moving score after the epoch. */
  moving_score: z.number().min(0).max(1),
});
export type MinerEpoch = z.infer<typeof MinerEpochSchema>;

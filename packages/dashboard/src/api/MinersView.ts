import { z } from 'zod';
import { FailureCountsSchema, LatencyPercentilesSchema } from './MinerEpoch';

/** One miner in the list: where it stands now, its last epoch, and its score trend. */
export const MinerSummarySchema = z.object({
  uid: z.int().nonnegative(),
  hotkey: z.string().min(1),
  tier: z.string().min(1),
  method: z.string().nullable(),
  moving_score: z.number().min(0).max(1),
  weight: z.number().min(0),
  /** The last epoch the miner was queried in; null before its first. */
  last_epoch: z.int().positive().nullable(),
  last_score: z.number().min(0).max(1).nullable(),
  failures: FailureCountsSchema,
  latency_ms: LatencyPercentilesSchema.nullable(),
  /** Mean score per recorded epoch, oldest first. */
  trend: z.array(z.object({ epoch: z.int().positive(), score: z.number().min(0).max(1) })),
});
export type MinerSummary = z.infer<typeof MinerSummarySchema>;

/** `GET /dashboard/api/miners`. */
export const MinersViewSchema = z.object({
  /** The newest epoch recorded, or null before the first. */
  epoch: z.int().positive().nullable(),
  /** How many epochs the history keeps per miner. */
  history_epochs: z.int().positive(),
  miners: z.array(MinerSummarySchema),
  generated_at: z.int().nonnegative(),
});
export type MinersView = z.infer<typeof MinersViewSchema>;

import { z } from 'zod';
import { MinerEpochSchema } from './MinerEpoch';

/** How one request to a miner ended, as the validator saw it. */
export const EvaluationOutcomeSchema = z.enum([
  /** Evaluated and scored (possibly 0 for a wrong answer). */
  'scored',
  /** Sent and timed like the rest, not evaluated (the validator's unscored share). */
  'unscored',
  'timeout',
  'invalid_payload',
  'refused',
]);
export type EvaluationOutcome = z.infer<typeof EvaluationOutcomeSchema>;

export const EvaluationRowSchema = z.object({
  epoch: z.int().positive(),
  at: z.int().nonnegative(),
  task_id: z.string().min(1),
  family: z.string().min(1),
  tier: z.string().min(1),
  /** The condenser method the miner's Metadata named then. */
  method: z.string().nullable(),
  outcome: EvaluationOutcomeSchema,
  /** The error code behind a failure (`PAYLOAD_…`, `QUERY_FAILED`), else null. */
  code: z.string().nullable(),
  /** What the miner or the evaluator said, shortened. */
  message: z.string().max(240).nullable(),
  score: z.number().min(0).max(1).nullable(),
  accuracy: z.number().min(0).max(1).nullable(),
  /** Fraction of the context's tokens removed, for valid payloads. */
  compression: z.number().min(0).max(1).nullable(),
  latency_ms: z.number().nonnegative().nullable(),
});
export type EvaluationRow = z.infer<typeof EvaluationRowSchema>;

/** `GET /dashboard/api/miners/:uid`: one miner's recorded epochs and recent evaluations. */
export const MinerDetailSchema = z.object({
  uid: z.int().nonnegative(),
  hotkey: z.string().min(1),
  tier: z.string().min(1),
  method: z.string().nullable(),
  moving_score: z.number().min(0).max(1),
  weight: z.number().min(0),
  /** Oldest first. */
  epochs: z.array(MinerEpochSchema),
  /** Newest first. */
  evaluations: z.array(EvaluationRowSchema),
  generated_at: z.int().nonnegative(),
});
export type MinerDetail = z.infer<typeof MinerDetailSchema>;

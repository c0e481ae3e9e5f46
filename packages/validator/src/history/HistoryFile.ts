import { EvaluationRowSchema, MinerEpochSchema } from '@signal/dashboard';
import { z } from 'zod';

export const HISTORY_SCHEMA_VERSION = 1;

/** Epochs kept per miner by default: a day of 45-minute epochs. */
export const DEFAULT_HISTORY_EPOCHS = 32;
/** Recent evaluations kept per miner by default. */
export const DEFAULT_HISTORY_EVALUATIONS = 24;

/**
 * One miner's recorded past under its current hotkey: its last epochs (oldest first) and
 * its most recent evaluations (newest first). The records are the dashboard's own shapes,
 * so what is persisted is exactly what the Miners page and its JSON API show.
 */
export const MinerHistorySchema = z.object({
  uid: z.int().nonnegative(),
  hotkey: z.string().min(1),
  epochs: z.array(MinerEpochSchema),
  evaluations: z.array(EvaluationRowSchema),
});
export type MinerHistory = z.infer<typeof MinerHistorySchema>;

/**
 * The validator's per-miner history file, beside its score state: bounded per miner
 * (`maxEpochs`, `maxEvaluations`) and to the uids the metagraph holds.
 */
export const HistoryFileSchema = z.object({
  schemaVersion: z.literal(HISTORY_SCHEMA_VERSION),
  miners: z.array(MinerHistorySchema),
});
export type HistoryFile = z.infer<typeof HistoryFileSchema>;

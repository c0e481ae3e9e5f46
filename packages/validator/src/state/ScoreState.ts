import { MinerScoreSchema } from '@signal/core';
import { z } from 'zod';
import { WeightCommitRecordSchema } from './WeightCommitRecord';

export const SCORE_STATE_SCHEMA_VERSION = 1;

/** Core's moving score plus what the validator knows about how it was earned. */
export const MinerStateSchema = MinerScoreSchema.extend({
  /** Scored responses folded into `score` since the uid's last reset. */
  observations: z.number().int().nonnegative(),
  /** Of those, how many scored 0 (timeouts, invalid payloads, wrong answers). */
  zeroScores: z.number().int().nonnegative(),
  /** Round-trip latency of the last response, or null before the first one. */
  lastLatencyMs: z.number().nonnegative().nullable(),
  /** Epoch milliseconds of the last change. */
  updatedAt: z.number().int().nonnegative(),
}).refine((miner) => miner.zeroScores <= miner.observations, {
  path: ['zeroScores'],
  message: 'zeroScores cannot exceed observations',
});
export type MinerState = z.infer<typeof MinerStateSchema>;

/** The validator's persisted score state; miners are ordered by uid, one entry per uid. */
export const ScoreStateSchema = z.object({
  schemaVersion: z.literal(SCORE_STATE_SCHEMA_VERSION),
  miners: z.array(MinerStateSchema).superRefine((miners, context) => {
    miners.forEach((miner, index) => {
      if (index > 0 && miner.uid <= miners[index - 1]!.uid) {
        context.addIssue({
          code: 'custom',
          path: [index, 'uid'],
          message: `uids must be unique and ascending: ${miner.uid} follows ${miners[index - 1]!.uid}`,
        });
      }
    });
  }),
  /**
   * The timelocked weight commits this validator sent, oldest first: every pending one and
   * the latest settled ones. Files from before commit-reveal have none.
   */
  commits: z.array(WeightCommitRecordSchema).default([]),
});
export type ScoreState = z.infer<typeof ScoreStateSchema>;

export function emptyScoreState(): ScoreState {
  return { schemaVersion: SCORE_STATE_SCHEMA_VERSION, miners: [], commits: [] };
}

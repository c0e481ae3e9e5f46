import { z } from 'zod';

const fraction = z.number().finite();

/** One miner's line of the report: its condenser, its epoch means, and what the chain paid. */
export const DevnetMinerReportSchema = z.object({
  uid: z.int().min(0),
  hotkey: z.string(),
  method: z.string(),
  /** The configured fraction of the context the condenser removes. */
  ratio: z.number(),
  poor: z.boolean(),
  accuracy: fraction,
  /** Null when no continuation task ran, since fidelity is measured on those only. */
  fidelity: fraction.nullable(),
  compression: fraction,
  latency_ms: fraction,
  score: fraction,
  weight: fraction,
  incentive: fraction,
});

export const DevnetClientReportSchema = z.object({
  miner_uid: z.int().min(0),
  format: z.enum(['kv', 'soft', 'text']),
  original_tokens: z.int().positive(),
  condensed_tokens: z.int().positive(),
  question: z.string(),
  expected: z.string(),
  answer: z.string(),
  full_context_answer: z.string(),
});

/** One validator epoch's timelocked commit, and what the chain did with it. */
export const DevnetCommitReportSchema = z.object({
  epoch: z.int().min(1),
  commit_block: z.int().min(0),
  chain_epoch: z.int().min(0),
  reveal_epoch: z.int().min(0),
  reveal_round: z.int().min(1),
  outcome: z.enum(['revealed', 'dropped', 'expired', 'unsettled']),
  /** The block the chain revealed (or dropped) it in; null while unsettled. */
  settled_block: z.int().min(0).nullable(),
  /** The first block at which the validator's weights showed on chain after committing. */
  weights_from_block: z.int().min(0).nullable(),
  reason: z.string().optional(),
});

export const DevnetCommitRevealReportSchema = z.object({
  enabled: z.boolean(),
  commits: z.array(DevnetCommitReportSchema),
});

/** What `signal devnet --json` prints: exactly this object, once, on stdout. */
export const DevnetReportSchema = z.object({
  epochs: z.int().min(1),
  block: z.int().min(0),
  netuid: z.int().min(0),
  wall_time_ms: z.number().min(0),
  miners: z.array(DevnetMinerReportSchema),
  client: DevnetClientReportSchema,
  commit_reveal: DevnetCommitRevealReportSchema,
});

export type DevnetMinerReport = z.infer<typeof DevnetMinerReportSchema>;
export type DevnetClientReport = z.infer<typeof DevnetClientReportSchema>;
export type DevnetReport = z.infer<typeof DevnetReportSchema>;
export type DevnetCommitReport = z.infer<typeof DevnetCommitReportSchema>;

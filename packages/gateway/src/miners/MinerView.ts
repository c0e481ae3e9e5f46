import { TierConfigSchema } from '@signal/core';
import { z } from 'zod';

/** One serving miner as the validator last saw it: where it listens, what it serves, how it scores. */
export const MinerEntrySchema = z.strictObject({
  uid: z.int().nonnegative(),
  hotkey: z.string().min(1),
  axon: z.strictObject({
    ip: z.string().min(1),
    port: z.int().min(1).max(65_535),
    hotkey: z.string().min(1),
  }),
  tier: z.string().min(1),
  models: z.array(z.string().min(1)),
  methods: z.array(z.string().min(1)),
  /** The validator's moving score; 0 before the first scored response. */
  score: z.number().min(0),
  /** The tier share × incentive the validator would set now. */
  weight: z.number().min(0),
  /** Round-trip latency of the last scored response. */
  latencyMs: z.number().nonnegative().nullable(),
});
export type MinerEntry = z.infer<typeof MinerEntrySchema>;

const GeometrySchema = z.strictObject({
  layers: z.int().positive().optional(),
  kvHeads: z.int().positive().optional(),
  headDim: z.int().positive().optional(),
  hidden: z.int().positive().optional(),
  /** The dtype the model's KV cache holds (core's `KvDtype`): payloads are dequantized into it. */
  kvDtype: z.enum(['float32', 'float16']).optional(),
});

export const MINER_VIEW_SCHEMA_VERSION = 1;

/**
 * What a validator publishes for its gateways, in process or on other machines: its tier
 * table, the miners of its last sync with their scores and weights, the model each tier
 * defaults to (one it can evaluate), and the shapes of those models, so payloads made for
 * another geometry are refused. Replaced whole on every publication.
 */
export const MinerViewSchema = z.strictObject({
  schemaVersion: z.literal(MINER_VIEW_SCHEMA_VERSION),
  netuid: z.int().min(0).max(65_535),
  /** The metagraph block the miners were read at. */
  block: z.int().nonnegative(),
  /** Epoch milliseconds of the publication. */
  publishedAt: z.int().nonnegative(),
  validatorHotkey: z.string().min(1),
  tiers: z.array(TierConfigSchema).min(1),
  defaultModels: z.record(z.string(), z.string().min(1)),
  geometries: z.record(z.string(), GeometrySchema),
  miners: z.array(MinerEntrySchema),
});
export type MinerView = z.infer<typeof MinerViewSchema>;

import { DashboardConfigShape, NeuronConfigShape } from '@signal/chain';
import { MAX_RECEIVE_TIMEOUT_MS } from '@signal/gateway';
import { z } from 'zod';
import { RecallVocabularySchema } from '../tasks/RecallVocabulary';
import { TaskFamilySchema } from '../tasks/Task';

const Port = z.int().min(0).max(65_535);
const ReceiveTimeoutMs = z.int().min(1).max(MAX_RECEIVE_TIMEOUT_MS);

/**
 * `--validator.config FILE` (YAML, or JSON for `.json`), in snake_case like the miner's.
 * Every field is optional except the models to evaluate with; flags and env override it.
 */
export const ValidatorConfigFileSchema = z.strictObject({
  netuid: z.int().min(0).max(65_535).optional(),
  /** target_model → model directory (relative paths are from the config file) or `hf:org/name@rev`, pulled at start. */
  models: z
    .record(z.string().min(1), z.string().min(1))
    .refine((models) => Object.keys(models).length > 0, 'at least one model is required'),
  /** The subnet's tier table as core's `loadTiers` takes it; core's defaults when absent. */
  tiers: z.array(z.unknown()).optional(),
  state_file: z.string().min(1).optional(),
  epoch_length: z.number().positive().optional(),
  seed: z.int().optional(),
  tasks_per_miner: z.int().min(0).optional(),
  version_key: z.int().min(0).optional(),
  /** Families for every tier (default: multi_query on research, needle/continuation/existence elsewhere). */
  families: z.array(TaskFamilySchema).min(1).optional(),
  /** Families by tier name, over `families`: `{ research: [multi_query, variable_tracking] }`. */
  tier_families: z.record(z.string().min(1), z.array(TaskFamilySchema).min(1)).optional(),
  unscored_fraction: z.number().min(0).max(1).optional(),
  batch_size: z.int().min(1).optional(),
  /**
   * What the reference families (recall, multi_needle, multi_query, variable_tracking,
   * aggregation) draw their contexts from: `reference` for the builder's recall
   * model (`signal models build --preset recall`), or explicit token lists for another
   * reference model; `pairs` key-value pairs per context.
   */
  recall: z
    .strictObject({
      vocabulary: z.union([z.literal('reference'), RecallVocabularySchema]),
      pairs: z.int().min(1).optional(),
    })
    .optional(),
  gateway: z
    .union([
      z.literal(false),
      z.strictObject({
        /** Serve the gateway in the validator's process (default true); false only publishes. */
        serve: z.boolean().optional(),
        host: z.string().min(1).optional(),
        port: Port.optional(),
        /** The file store's directory (relative paths are from the config file). */
        store_dir: z.string().min(1).optional(),
        /** A Redis shared with standalone gateways (`signal gateway`), instead of the file store. */
        redis_url: z.string().min(1).optional(),
        organic_scored_fraction: z.number().min(0).max(1).optional(),
        fail_open: z.boolean().optional(),
        /** Milliseconds a client has to send its headers (10 000); slower ones get 408. */
        headers_timeout_ms: ReceiveTimeoutMs.optional(),
        /** Milliseconds a client has to send its whole request, body included (30 000). */
        request_timeout_ms: ReceiveTimeoutMs.optional(),
      }),
    ])
    .optional(),
  metrics_port: Port.optional(),
  ...DashboardConfigShape,
  ...NeuronConfigShape,
});
export type ValidatorConfigFile = z.infer<typeof ValidatorConfigFileSchema>;

import { NeuronConfigShape, taoToRao } from '@signal/chain';
import { KvFormatSchema } from '@signal/core';
import { ModelDtypeSchema } from '@signal/runtime';
import { z } from 'zod';
import { DEFAULT_FUTURE_POSITIONS } from '../presses/expectedAttention';
import {
  DEFAULT_RECONSTRUCTION_CHUNK,
  DEFAULT_RECONSTRUCTION_OVERLAP,
  DEFAULT_RECONSTRUCTION_SINKS,
} from '../presses/reconstruction/reconstructionScores';
import { DEFAULT_SNAPKV_KERNEL, DEFAULT_SNAPKV_WINDOW } from '../presses/snapkv';
import { DEFAULT_SINK_TOKENS } from '../presses/streamingLlm';

const Ratio = z.number().min(0).lt(1, 'a ratio must be below 1 (it is the fraction removed)');

const Sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hex digits');
/** An adapter name as `@signal/lora` accepts it (`name` or `owner/name`). */
const AdapterName = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)?$/, 'not an adapter name');

/**
 * Where a target model's LoRA adapter comes from: a local PEFT directory, or the base URL of a
 * PEFT directory served over HTTP(S) with both files pinned by hash (`sha256` for
 * `adapter_model.safetensors`, `config_sha256` for `adapter_config.json`). `name` is how
 * requests and `Metadata` call it; by default the directory's or URL's last path segment.
 */
export const AdapterSourceSchema = z.union([
  /** A PEFT directory, or `hf:org/name@rev` pulled into the huggingface_hub cache when the miner starts. */
  z.strictObject({ dir: z.string().min(1), name: AdapterName.optional() }),
  z.strictObject({
    url: z.url({ protocol: /^https?$/, error: 'adapter url must be http(s)' }),
    sha256: Sha256,
    config_sha256: Sha256,
    name: AdapterName.optional(),
  }),
]);

export const ModelEntrySchema = z.strictObject({
  /**
   * A model directory in any export layout (optimum, onnx-community, onnxruntime-genai), or
   * `hf:org/name@rev[/subfolder]`, pulled into the huggingface_hub cache when the miner starts.
   */
  base_model_dir: z.string().min(1),
  /** The variant to load, as transformers.js names them (`fp32`, `fp16`, `q8`, `q4`, …). */
  dtype: ModelDtypeSchema.optional(),
  adapter: AdapterSourceSchema.optional(),
});

/**
 * How a KV tier's kept cache is encoded: fp16/fp32 tensors, or int8/int4 codes quantized
 * after the press (KIVI layout, float16 scales and zero points). Without `kv_format` the
 * config's `payload_dtype` decides. `kv_group_size` is int8/int4's group size (default:
 * int4 32, int8 the whole axis).
 */
const KvEncoding = {
  kv_format: KvFormatSchema.optional(),
  kv_group_size: z.int().min(1).optional(),
  /** Tokens per prefill pass over a long context (chunked prefill bounds attention memory). */
  prefill_chunk: z.int().min(16).optional(),
  /**
   * Press window by window instead (tokens per window): each window keeps its share of the
   * budget before the next is prefilled on what was kept, so the cache never holds the whole
   * context.
   */
  prefill_window: z.int().min(1).optional(),
};

/** The condenser a tier runs, with its ratio and the method's own knobs. */
export const TierMethodSchema = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('knorm'), ratio: Ratio, ...KvEncoding }),
  z.strictObject({ method: z.literal('keydiff'), ratio: Ratio, ...KvEncoding }),
  z.strictObject({
    method: z.literal('kvzip'),
    ratio: Ratio,
    ...KvEncoding,
    chunk_tokens: z.int().min(1).default(DEFAULT_RECONSTRUCTION_CHUNK),
    sink_tokens: z.int().min(0).default(DEFAULT_RECONSTRUCTION_SINKS),
    overlap_tokens: z.int().min(0).default(DEFAULT_RECONSTRUCTION_OVERLAP),
  }),
  z.strictObject({
    method: z.literal('streaming_llm'),
    ratio: Ratio,
    ...KvEncoding,
    sink_tokens: z.int().min(0).default(DEFAULT_SINK_TOKENS),
  }),
  z.strictObject({
    method: z.literal('snapkv'),
    ratio: Ratio,
    ...KvEncoding,
    window: z.int().min(1).default(DEFAULT_SNAPKV_WINDOW),
    kernel: z
      .int()
      .min(1)
      .refine((k) => k % 2 === 1, 'kernel must be odd')
      .default(DEFAULT_SNAPKV_KERNEL),
  }),
  z.strictObject({
    method: z.literal('random'),
    ratio: Ratio,
    seed: z.int().default(0),
    ...KvEncoding,
  }),
  /** rope_theta is not here: it comes from the target model's own config.json. */
  z.strictObject({
    method: z.literal('expected_attention'),
    ratio: Ratio,
    ...KvEncoding,
    future_positions: z.int().min(1).default(DEFAULT_FUTURE_POSITIONS),
    sink_tokens: z.int().min(0).default(DEFAULT_SINK_TOKENS),
    use_covariance: z.boolean().default(true),
    use_value_norm: z.boolean().default(true),
    epsilon: z.number().min(0).default(0),
  }),
  z.strictObject({ method: z.literal('soft'), ratio: Ratio }),
  z.strictObject({
    method: z.literal('text'),
    ratio: Ratio,
    granularity: z.enum(['token', 'word', 'sentence']).default('token'),
    aggregate: z.enum(['mean', 'sum']).default('mean'),
    force: z
      .strictObject({
        newlines: z.boolean().default(true),
        digits: z.boolean().default(true),
        punctuation: z.boolean().default(true),
      })
      .prefault({}),
  }),
]);

/** A TAO amount (decimal string or number), carried as integer rao. */
const TaoAmount = z.union([z.string(), z.number()]).transform((value, context) => {
  const rao = taoToRao(value);
  if (rao === null) {
    context.addIssue({
      code: 'custom',
      message: `"${value}" is not a TAO amount: write a non-negative decimal with at most 9 decimals`,
    });
    return z.NEVER;
  }
  return rao;
});

/** SS58 addresses are base58 (no 0, O, I, l) and 46–48 characters for the usual prefixes. */
const Ss58 = z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{46,48}$/, 'not an SS58 address');

export const MinerLimitsSchema = z.strictObject({
  /** Condense/Inference requests run at once. */
  max_concurrency: z.int().min(1).default(2),
  /** Requests that may wait for a slot; beyond that the axon answers 503. */
  queue_size: z.int().min(0).default(32),
  /** Validators need at least this stake, in TAO, for work requests. */
  min_validator_stake: TaoAmount.default(0n),
  /** Hotkeys admitted without registration, permit or stake: direct clients. */
  allowlist: z.array(Ss58).default([]),
  /** Work requests per epoch shared out among validators in proportion to stake. */
  rate_limit_per_epoch: z.int().min(1).default(256),
  /** Work requests per epoch for each allowlisted hotkey that is not a validator. */
  allowlist_requests_per_epoch: z.int().min(0).default(32),
  /** Ceiling on an Inference request's `max_new_tokens`. */
  max_new_tokens: z.int().min(1).default(256),
  /** Memory the loaded base models may take together, in MiB (least recently used evicted). */
  model_memory_mb: z.int().min(1).default(16_384),
  /** Memory for LoRA adapters held per base model, in MiB. */
  adapter_memory_mb: z.int().min(1).default(512),
});

/**
 * Values for the `signal-miner` flags, so a config file can carry the whole deployment.
 * A flag or its env form overrides them.
 */
export const MinerRunSettingsSchema = z.strictObject({
  netuid: z.int().min(0).max(65535).optional(),
  wallet: NeuronConfigShape.wallet,
  subtensor: NeuronConfigShape.subtensor,
  axon: z
    .strictObject({
      port: z.int().min(0).max(65535).optional(),
      external_ip: z.string().min(1).optional(),
    })
    .optional(),
  logging: NeuronConfigShape.logging,
  runtime: NeuronConfigShape.runtime,
});

export const MinerConfigSchema = z.strictObject({
  /** target_model (as named in Condense requests) → where its weights live. */
  models: z
    .record(z.string().min(1), ModelEntrySchema)
    .refine((models) => Object.keys(models).length > 0, 'at least one target model is required'),
  /** tier name → the condenser that tier runs. */
  tiers: z
    .record(z.string().min(1), TierMethodSchema)
    .refine((tiers) => Object.keys(tiers).length > 0, 'at least one tier is required'),
  limits: MinerLimitsSchema.prefault({}),
  /** Port of the Prometheus /metrics endpoint (0 lets the OS choose). */
  metrics_port: z.int().min(0).max(65535).default(9100),
  /** Element type of kv and soft payload tensors; float32 doubles the size but is exact. */
  payload_dtype: z.enum(['float16', 'float32']).default('float16'),
  /** Seconds between metagraph refreshes (blacklist, stake and rate limits follow it). */
  metagraph_refresh_seconds: z.number().positive().default(60),
  ...MinerRunSettingsSchema.shape,
});

export type AdapterSource = z.infer<typeof AdapterSourceSchema>;
export type ModelEntry = z.infer<typeof ModelEntrySchema>;
export type TierMethod = z.infer<typeof TierMethodSchema>;
export type MinerLimits = z.infer<typeof MinerLimitsSchema>;
export type MinerRunSettings = z.infer<typeof MinerRunSettingsSchema>;
/** The validated config, defaults filled in and stake in rao. */
export type MinerConfig = z.infer<typeof MinerConfigSchema>;
/** What a config file may say before defaults. */
export type MinerConfigInput = z.input<typeof MinerConfigSchema>;

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dtypeFileName } from '../model/ModelDtype';
import type { ModelLayout } from '../model/ModelLayout';
import { writeModel } from '../onnx/writeModel';
import { BuilderError } from './BuilderError';
import { byteLevelTokenizer } from './byteLevelTokenizer';
import { embedTokensGraph } from './embedTokensGraph';
import { genaiConfig } from './genaiConfig';
import { type LlamaConfig, llamaConfig, type ModelSize } from './LlamaConfig';
import { llamaGraph } from './llamaGraph';
import type { TokenizerFiles } from './llamaSpecialTokens';
import { llamaWeights, type Weight } from './llamaWeights';
import { quantizeInt4Blocks } from './quantize/quantizeInt4Blocks';
import { recallConfig } from './recall/recallConfig';
import { RECALL_LAYOUT } from './recall/recallLayout';
import { recallTokenizer } from './recall/recallTokenizer';
import { recallVocabulary } from './recall/recallVocabulary';
import { recallWeights } from './recall/recallWeights';
import {
  INT4_BLOCK_SIZE,
  isProjectionWeight,
  WEIGHT_PRECISIONS,
  type WeightPrecision,
} from './WeightPrecision';

interface BuildModelCommonOptions {
  arch: 'llama';
  outDir: string;
  /** The decoder takes `inputs_embeds` instead of `input_ids`, and `onnx/embed_tokens.onnx` is written beside it. */
  inputsEmbeds?: boolean;
  /** Add an int64 scalar input `num_logits_to_keep` (0 keeps all positions). */
  numLogitsToKeep?: boolean;
  tieWordEmbeddings?: boolean;
  /** Add outputs `queries.N` = post-RoPE queries `[batch, heads, seq, head_dim]`. */
  exposeQueries?: boolean;
  /**
   * The export it imitates (see `ModelLayout`): `onnx-community` (default) writes
   * `onnx/model{suffix}.onnx` per dtype (`onnx/model.onnx` for fp32); `optimum` writes
   * `model{suffix}.onnx` at the root; `genai` writes `model.onnx`, `model.onnx.data` and
   * `genai_config.json`, with GroupQueryAttention and no `position_ids`.
   */
  layout?: ModelLayout;
  /**
   * The weight variants: several for `onnx-community` (default `['fp32']`), one otherwise
   * (`genai` default `q4`, others `fp32`). Every variant holds the same seeded weights.
   */
  dtypes?: readonly WeightPrecision[];
  /** Weights in side files (`<graph>_data`; genai `model.onnx.data`). Default: on for genai only. */
  externalData?: boolean;
  /**
   * genai only: one `/model/layers.N/attn/qkv_proj` projection whose output GroupQueryAttention
   * takes as packed Q, K and V (what onnxruntime-genai writes for CPU), instead of three.
   */
  packedQkv?: boolean;
  /**
   * Round projection weights through the q4 variant's int4 blocks before writing: an fp32
   * graph that computes what a q4 graph of the same seed computes (its twin).
   */
  roundWeights?: 'int4';
}

/** Seeded random weights (the default preset). */
export interface RandomModelOptions extends BuildModelCommonOptions {
  preset?: 'random';
  /** tiny: 2 layers, hidden 64; small: 4 layers, hidden 256. */
  size: ModelSize;
  /** Seeds the weights; the same seed and size give the same weights whatever the other options. */
  seed: number;
}

/**
 * The constructed associative-recall model (see `recallWeights`) with its word-level
 * tokenizer; its shape is fixed, so it takes no size or seed.
 */
export interface RecallModelOptions extends BuildModelCommonOptions {
  preset: 'recall';
  size?: never;
  seed?: never;
}

export type BuildModelOptions = RandomModelOptions | RecallModelOptions;
export type ModelPreset = NonNullable<BuildModelOptions['preset']>;

export interface BuiltModel {
  /** The model directory (`outDir`). */
  dir: string;
  config: LlamaConfig;
  layout: ModelLayout;
  /** Absolute paths of the ONNX files written: `model` is the first dtype's graph. */
  files: {
    model: string;
    embedTokens?: string;
    /** Every variant's graph by dtype. */
    variants: Partial<Record<WeightPrecision, string>>;
  };
}

const ARCHES = ['llama'] as const;
const LAYOUTS: readonly ModelLayout[] = ['optimum', 'onnx-community', 'genai'];
const PRESETS: readonly ModelPreset[] = ['random', 'recall'];
const SIZES: readonly ModelSize[] = ['tiny', 'small'];
const MODEL_MAX_LENGTH = 2048;

function validate(options: BuildModelOptions): void {
  const fail = (what: string, details: string) => {
    throw new BuilderError('BUILDER_INVALID_OPTIONS', `Invalid model builder option: ${what}`, {
      details,
    });
  };
  if (!ARCHES.includes(options.arch))
    fail('arch', `"${String(options.arch)}" is not one of ${ARCHES.join(', ')}`);
  if (!PRESETS.includes(options.preset ?? 'random'))
    fail('preset', `"${String(options.preset)}" is not one of ${PRESETS.join(', ')}`);
  if (typeof options.outDir !== 'string' || options.outDir.length === 0)
    fail('outDir', 'an output directory is required');
  const layout = options.layout ?? 'onnx-community';
  if (!LAYOUTS.includes(layout))
    fail('layout', `"${String(layout)}" is not one of ${LAYOUTS.join(', ')}`);
  const dtypes = options.dtypes ?? [];
  for (const dtype of dtypes) {
    if (!WEIGHT_PRECISIONS.includes(dtype))
      fail('dtypes', `"${String(dtype)}" is not one of ${WEIGHT_PRECISIONS.join(', ')}`);
  }
  if (new Set(dtypes).size !== dtypes.length) fail('dtypes', 'each dtype may appear once');
  if (layout !== 'onnx-community' && dtypes.length > 1)
    fail('dtypes', `the ${layout} layout holds one variant; onnx-community holds several`);
  if (layout === 'genai') {
    if (dtypes.some((d) => d !== 'q4' && d !== 'fp32'))
      fail('dtypes', 'the genai layout is written in q4 (int4 MatMulNBits) or fp32');
    if (options.exposeQueries)
      fail('exposeQueries', 'GroupQueryAttention keeps its queries inside the op');
    if (options.inputsEmbeds) fail('inputsEmbeds', 'the genai layout takes input_ids');
  } else if (options.packedQkv) {
    fail('packedQkv', 'only the genai layout packs Q, K and V into one projection');
  }
  if (options.roundWeights !== undefined && options.roundWeights !== 'int4')
    fail('roundWeights', `"${String(options.roundWeights)}" is not int4`);

  if (options.preset === 'recall') {
    if (options.size !== undefined || options.seed !== undefined)
      fail('size/seed', 'the recall preset is constructed, not seeded: it takes no size or seed');
    // lm_head reads the answer subspace and the embedding writes identities: they cannot be one matrix.
    if (options.tieWordEmbeddings)
      fail('tieWordEmbeddings', 'the recall preset has separate embedding and lm_head weights');
    return;
  }
  if (!SIZES.includes(options.size))
    fail('size', `"${String(options.size)}" is not one of ${SIZES.join(', ')}`);
  if (!Number.isSafeInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
    fail('seed', `${String(options.seed)} is not an integer in [0, 2^32)`);
  }
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

interface ModelParts {
  tokens: TokenizerFiles;
  config: LlamaConfig;
  weights: Map<string, Weight>;
  maxLength: number;
}

function modelParts(options: BuildModelOptions): ModelParts {
  if (options.preset === 'recall') {
    const tokens = recallTokenizer(recallVocabulary(), RECALL_LAYOUT.maxPositions);
    const config = recallConfig(tokens);
    return {
      tokens,
      config,
      weights: recallWeights(config, tokens.ids),
      maxLength: RECALL_LAYOUT.maxPositions,
    };
  }
  const tokens = byteLevelTokenizer(MODEL_MAX_LENGTH);
  const config = llamaConfig(options.size, tokens, options.tieWordEmbeddings ?? false);
  return {
    tokens,
    config,
    weights: llamaWeights(config, options.seed),
    maxLength: MODEL_MAX_LENGTH,
  };
}

/** The graph file of one variant, relative to the model directory. */
function variantFile(layout: ModelLayout, dtype: WeightPrecision): string {
  if (layout === 'genai') return 'model.onnx';
  if (layout === 'optimum') return dtypeFileName('model', dtype);
  return join('onnx', dtypeFileName('model', dtype));
}

/** Projection weights quantized to int4 blocks and back, as a q4 graph computes with them. */
function roundedThroughInt4(weights: Map<string, Weight>): Map<string, Weight> {
  const rounded = new Map<string, Weight>();
  for (const [name, weight] of weights) {
    if (!isProjectionWeight(name)) {
      rounded.set(name, weight);
      continue;
    }
    const [k, n] = weight.dims as [number, number];
    const { dequantized } = quantizeInt4Blocks(weight.values, k, n, INT4_BLOCK_SIZE);
    rounded.set(name, { dims: weight.dims, values: dequantized });
  }
  return rounded;
}

/**
 * Writes a small Llama model directory in one of the layouts real exports use (by default
 * config.json, tokenizer.json, tokenizer_config.json, generation_config.json and
 * onnx/model.onnx) with seeded random weights, or the constructed recall model, for tests
 * and the devnet (no weights come from a hub).
 */
export async function buildModel(options: BuildModelOptions): Promise<BuiltModel> {
  validate(options);
  const parts = modelParts(options);
  const { tokens, maxLength } = parts;
  const layout = options.layout ?? 'onnx-community';
  const dtypes: readonly WeightPrecision[] = options.dtypes?.length
    ? options.dtypes
    : [layout === 'genai' ? 'q4' : 'fp32'];
  const weights = options.roundWeights ? roundedThroughInt4(parts.weights) : parts.weights;
  const externalData = options.externalData ?? layout === 'genai';
  const config: LlamaConfig =
    layout === 'onnx-community' && externalData
      ? {
          ...parts.config,
          'transformers.js_config': {
            use_external_data_format: Object.fromEntries(
              dtypes.map((d) => [dtypeFileName('model', d), 1]),
            ),
          },
        }
      : parts.config;
  const dir = options.outDir;
  const variants: BuiltModel['files']['variants'] = {};
  for (const dtype of dtypes) variants[dtype] = join(dir, variantFile(layout, dtype));
  const files: BuiltModel['files'] = { model: variants[dtypes[0]!]!, variants };
  try {
    await mkdir(layout === 'onnx-community' || options.inputsEmbeds ? join(dir, 'onnx') : dir, {
      recursive: true,
    });
    await Promise.all([
      writeFile(join(dir, 'config.json'), json(config)),
      writeFile(join(dir, 'tokenizer.json'), json(tokens.tokenizer)),
      writeFile(join(dir, 'tokenizer_config.json'), json(tokens.tokenizerConfig)),
      writeFile(
        join(dir, 'generation_config.json'),
        json({
          bos_token_id: tokens.bos,
          eos_token_id: tokens.eos,
          pad_token_id: tokens.pad,
          do_sample: false,
          max_length: maxLength,
        }),
      ),
      ...(layout === 'genai'
        ? [
            writeFile(
              join(dir, 'genai_config.json'),
              json(genaiConfig(parts.config, tokens, maxLength)),
            ),
          ]
        : []),
    ]);
    for (const dtype of dtypes) {
      const graph = llamaGraph(parts.config, weights, {
        inputsEmbeds: options.inputsEmbeds ?? false,
        numLogitsToKeep: options.numLogitsToKeep ?? false,
        exposeQueries: options.exposeQueries ?? false,
        precision: dtype,
        attention: layout === 'genai' ? 'group-query' : 'standard',
        packedQkv: options.packedQkv ?? false,
      });
      const path = variants[dtype]!;
      const dataFile = layout === 'genai' ? 'model.onnx.data' : undefined;
      await writeModel(graph, path, {
        ...(externalData ? { externalData: dataFile ? { location: dataFile } : true } : {}),
      });
    }
    if (options.inputsEmbeds) {
      files.embedTokens = join(dir, 'onnx', 'embed_tokens.onnx');
      await writeModel(
        embedTokensGraph(parts.config, weights.get('model.embed_tokens.weight')!),
        files.embedTokens,
      );
    }
  } catch (cause) {
    throw new BuilderError('BUILDER_WRITE_FAILED', `Cannot write the model to ${dir}`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
  return { dir, config, layout, files };
}

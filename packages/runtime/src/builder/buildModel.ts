import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeModel } from '../onnx/writeModel';
import { BuilderError } from './BuilderError';
import { byteLevelTokenizer } from './byteLevelTokenizer';
import { embedTokensGraph } from './embedTokensGraph';
import { type LlamaConfig, llamaConfig, type ModelSize } from './LlamaConfig';
import { llamaGraph } from './llamaGraph';
import type { TokenizerFiles } from './llamaSpecialTokens';
import { llamaWeights, type Weight } from './llamaWeights';
import { recallConfig } from './recall/recallConfig';
import { RECALL_LAYOUT } from './recall/recallLayout';
import { recallTokenizer } from './recall/recallTokenizer';
import { recallVocabulary } from './recall/recallVocabulary';
import { recallWeights } from './recall/recallWeights';

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
  /** Absolute paths of the ONNX files written. */
  files: { model: string; embedTokens?: string };
}

const ARCHES = ['llama'] as const;
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

/**
 * Writes a small Llama model directory in Hugging Face / optimum layout — config.json,
 * tokenizer.json, tokenizer_config.json, generation_config.json, onnx/model.onnx — with
 * seeded random weights, or the constructed recall model, for tests and the devnet (no
 * weights come from a hub).
 */
export async function buildModel(options: BuildModelOptions): Promise<BuiltModel> {
  validate(options);
  const { tokens, config, weights, maxLength } = modelParts(options);
  const graph = llamaGraph(config, weights, {
    inputsEmbeds: options.inputsEmbeds ?? false,
    numLogitsToKeep: options.numLogitsToKeep ?? false,
    exposeQueries: options.exposeQueries ?? false,
  });
  const dir = options.outDir;
  const files: BuiltModel['files'] = { model: join(dir, 'onnx', 'model.onnx') };
  try {
    await mkdir(join(dir, 'onnx'), { recursive: true });
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
      writeModel(graph, files.model),
    ]);
    if (options.inputsEmbeds) {
      files.embedTokens = join(dir, 'onnx', 'embed_tokens.onnx');
      await writeModel(
        embedTokensGraph(config, weights.get('model.embed_tokens.weight')!),
        files.embedTokens,
      );
    }
  } catch (cause) {
    throw new BuilderError('BUILDER_WRITE_FAILED', `Cannot write the model to ${dir}`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
  return { dir, config, files };
}

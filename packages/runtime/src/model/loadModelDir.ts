import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TextTokenizer } from '../tokenizer/TextTokenizer';
import type { GenaiConfig } from './GenaiConfig';
import type { GraphSummary } from './GraphSummary';
import {
  type GenerationConfig,
  GenerationConfigSchema,
  type ModelConfig,
  ModelConfigSchema,
} from './ModelConfig';
import { ModelDirError } from './ModelDirError';
import type { ModelDtype } from './ModelDtype';
import type { ModelLayout } from './ModelLayout';
import { type ResolveModelFilesOptions, resolveModelFiles } from './resolveModelFiles';

/** A Hugging Face model directory, read and validated, before any session is created. */
export interface ModelDir {
  dir: string;
  config: ModelConfig;
  generationConfig: GenerationConfig | undefined;
  tokenizer: TextTokenizer;
  layout: ModelLayout;
  /** The variant loaded (`fp32`, `fp16`, `q8`, `q4`, …). */
  dtype: ModelDtype;
  /** The decoder graph file. */
  modelPath: string;
  /** The graph file plus its external-data files (`model.onnx_data`, …): what a session maps into memory. */
  modelFiles: readonly string[];
  modelBytes: number;
  genaiConfig: GenaiConfig | undefined;
  /** Ops, opsets, GQA nodes and quantization of the graph, read without its weights. */
  graph: GraphSummary;
}

export type LoadModelDirOptions = ResolveModelFilesOptions;

/**
 * Reads a model directory in any of the three export layouts: `config.json` (or, for an
 * onnxruntime-genai directory without one, the model section of `genai_config.json`), the
 * tokenizer, and the decoder graph of the chosen variant with its external data.
 */
export async function loadModelDir(
  dir: string,
  options: LoadModelDirOptions = {},
): Promise<ModelDir> {
  // Independent reads, at once: a warm load waits on the slowest, not on their sum. Failures
  // are still reported in the order the reads are listed, whichever fails first.
  const [files, fromFile, generation, tokenizer] = await Promise.allSettled([
    resolveModelFiles(dir, options),
    readConfig(join(dir, 'config.json'), ModelConfigSchema, false),
    readConfig(join(dir, 'generation_config.json'), GenerationConfigSchema, false),
    TextTokenizer.load(dir),
  ]);
  const { genaiConfig } = settledValue(files);
  const config = settledValue(fromFile) ?? (genaiConfig ? configFromGenai(genaiConfig) : undefined);
  if (config === undefined) {
    throw new ModelDirError('MODEL_FILE_MISSING', `cannot read ${join(dir, 'config.json')}`, {
      details: 'a model directory needs config.json (or genai_config.json)',
    });
  }
  const generationConfig = settledValue(generation);
  return {
    dir,
    config,
    generationConfig,
    tokenizer: settledValue(tokenizer),
    ...settledValue(files),
  };
}

function settledValue<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

/**
 * The same model read from a derived copy of its directory (the positions rewrite): the graph
 * `modelFile` and its external data resolved in `dir`, the configs and tokenizer already read
 * kept rather than parsed again.
 */
export async function relocateModelDir(
  modelDir: ModelDir,
  dir: string,
  modelFile: string,
): Promise<ModelDir> {
  const files = await resolveModelFiles(dir, { modelFile, dtype: modelDir.dtype });
  const { config, generationConfig, tokenizer } = modelDir;
  return { dir, config, generationConfig, tokenizer, ...files };
}

/** The decoder graph a directory holds, with its external data and their total size. */
export async function locateModelFiles(
  dir: string,
  options: LoadModelDirOptions = {},
): Promise<Pick<ModelDir, 'modelPath' | 'modelFiles' | 'modelBytes'>> {
  const { modelPath, modelFiles, modelBytes } = await resolveModelFiles(dir, options);
  return { modelPath, modelFiles, modelBytes };
}

/** genai_config.json's decoder section, as the config.json fields the runtime reads. */
function configFromGenai(genai: GenaiConfig): ModelConfig {
  const { model } = genai;
  const { decoder } = model;
  return {
    model_type: model.type,
    vocab_size: model.vocab_size,
    hidden_size: decoder.hidden_size,
    num_hidden_layers: decoder.num_hidden_layers,
    num_attention_heads: decoder.num_attention_heads,
    num_key_value_heads: decoder.num_key_value_heads,
    head_dim: decoder.head_size,
    ...(model.context_length ? { max_position_embeddings: model.context_length } : {}),
    bos_token_id: model.bos_token_id,
    eos_token_id: model.eos_token_id,
    pad_token_id: model.pad_token_id,
  };
}

interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: Error };
}

async function readConfig<T>(path: string, schema: Schema<T>, required: true): Promise<T>;
async function readConfig<T>(
  path: string,
  schema: Schema<T>,
  required: false,
): Promise<T | undefined>;
async function readConfig<T>(
  path: string,
  schema: Schema<T>,
  required: boolean,
): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if (!required && (cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ModelDirError('MODEL_FILE_MISSING', `cannot read ${path}`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ModelDirError('MODEL_CONFIG_INVALID', `${path} is not valid JSON`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ModelDirError(
      'MODEL_CONFIG_INVALID',
      `${path} does not describe a causal LM the runtime knows`,
      {
        details: parsed.error.message,
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}

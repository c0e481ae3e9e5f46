import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { TextTokenizer } from '../tokenizer/TextTokenizer';
import {
  type GenerationConfig,
  GenerationConfigSchema,
  type ModelConfig,
  ModelConfigSchema,
} from './ModelConfig';
import { ModelDirError } from './ModelDirError';

/** Where optimum / onnx-community exports put the decoder, in the order we look. */
export const MODEL_FILE_CANDIDATES = [
  'onnx/model.onnx',
  'onnx/decoder_model_merged.onnx',
  'model.onnx',
  'decoder_model_merged.onnx',
] as const;

/** A Hugging Face model directory, read and validated, before any session is created. */
export interface ModelDir {
  dir: string;
  config: ModelConfig;
  generationConfig: GenerationConfig | undefined;
  tokenizer: TextTokenizer;
  /** The decoder graph file. */
  modelPath: string;
  /** The graph file plus its external-data files (`model.onnx_data`, …): what a session maps into memory. */
  modelFiles: readonly string[];
  modelBytes: number;
}

export interface LoadModelDirOptions {
  /** A graph file relative to `dir` (e.g. `onnx/model_q4.onnx`) instead of the default candidates. */
  modelFile?: string;
}

/** Reads `config.json`, the tokenizer and locates the ONNX decoder of a HF-layout model directory. */
export async function loadModelDir(
  dir: string,
  options: LoadModelDirOptions = {},
): Promise<ModelDir> {
  const config = await readConfig(join(dir, 'config.json'), ModelConfigSchema, true);
  const generationConfig = await readConfig(
    join(dir, 'generation_config.json'),
    GenerationConfigSchema,
    false,
  );
  const files = await locateModelFiles(dir, options.modelFile);
  const tokenizer = await TextTokenizer.load(dir);
  return { dir, config, generationConfig, tokenizer, ...files };
}

/** The decoder graph a directory holds, with its external data and their total size. */
export async function locateModelFiles(
  dir: string,
  modelFile?: string,
): Promise<Pick<ModelDir, 'modelPath' | 'modelFiles' | 'modelBytes'>> {
  const modelPath = await findModelFile(dir, modelFile);
  const modelFiles = await externalDataFiles(modelPath);
  let modelBytes = 0;
  for (const file of modelFiles) modelBytes += (await stat(file)).size;
  return { modelPath, modelFiles, modelBytes };
}

async function findModelFile(dir: string, modelFile: string | undefined): Promise<string> {
  const candidates = modelFile ? [modelFile] : MODEL_FILE_CANDIDATES;
  for (const candidate of candidates) {
    const path = join(dir, candidate);
    if (await isFile(path)) return path;
  }
  throw new ModelDirError('MODEL_FILE_MISSING', `no ONNX decoder found in ${dir}`, {
    details: `looked for ${candidates.join(', ')}`,
  });
}

/** The graph and every sibling that shares its name as a prefix: ORT's external-data convention. */
async function externalDataFiles(modelPath: string): Promise<string[]> {
  const folder = dirname(modelPath);
  const name = basename(modelPath);
  const siblings = await readdir(folder);
  return siblings
    .filter((f) => f === name || f.startsWith(`${name}_data`) || f.startsWith(`${name}.data`))
    .map((f) => join(folder, f));
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
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

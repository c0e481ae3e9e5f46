import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { type GenaiConfig, GenaiConfigSchema } from './GenaiConfig';
import { type GraphSummary, readGraphSummary } from './GraphSummary';
import { ModelDirError } from './ModelDirError';
import { MODEL_DTYPE_SUFFIXES, type ModelDtype } from './ModelDtype';
import type { ModelLayout } from './ModelLayout';

export interface ResolveModelFilesOptions {
  /** A graph file relative to the directory (e.g. `onnx/model_q4.onnx`), bypassing the lookup. */
  modelFile?: string | undefined;
  /** The variant to load, named as transformers.js names them (default `fp32`). */
  dtype?: ModelDtype | undefined;
}

/** The decoder graph a model directory holds, how its files are laid out, and what it is made of. */
export interface ResolvedModelFiles {
  layout: ModelLayout;
  /** The variant chosen: by suffix for optimum / onnx-community, by its weights for genai. */
  dtype: ModelDtype;
  modelPath: string;
  /** The graph plus the external-data files it points into: what a session maps into memory. */
  modelFiles: readonly string[];
  modelBytes: number;
  genaiConfig: GenaiConfig | undefined;
  graph: GraphSummary;
}

/** Base names of decoder graphs, in the order exporters prefer them. */
const GRAPH_BASES = ['model', 'decoder_model_merged'] as const;
/** transformers.js keeps graphs in `onnx/`; optimum-cli writes them at the root. */
const FOLDERS = ['onnx', ''] as const;
const GENAI_CONFIG = 'genai_config.json';

/**
 * The one resolver for the three layouts real exports use (see `ModelLayout`): reads
 * `genai_config.json` where there is one, otherwise picks the `dtype` variant from `onnx/` or
 * the root as transformers.js and optimum name them; then checks that every external-data
 * file the graph points into is there.
 */
export async function resolveModelFiles(
  dir: string,
  options: ResolveModelFilesOptions = {},
): Promise<ResolvedModelFiles> {
  const genaiConfig = await readGenaiConfig(dir);
  let modelPath: string;
  let layout: ModelLayout;
  let dtype: ModelDtype = options.dtype ?? 'fp32';
  if (options.modelFile) {
    modelPath = join(dir, options.modelFile);
    if (!(await isFile(modelPath))) {
      throw new ModelDirError('MODEL_FILE_MISSING', `no ONNX decoder at ${modelPath}`, {
        details: `modelFile "${options.modelFile}" does not name a file in ${dir}`,
      });
    }
    layout = genaiConfig ? 'genai' : layoutOf(dir, modelPath);
  } else if (genaiConfig) {
    modelPath = join(dir, genaiConfig.model.decoder.filename);
    layout = 'genai';
    if (!(await isFile(modelPath))) {
      throw new ModelDirError('MODEL_FILE_MISSING', `no ONNX decoder at ${modelPath}`, {
        details: `${GENAI_CONFIG} names decoder.filename "${genaiConfig.model.decoder.filename}"`,
      });
    }
  } else {
    modelPath = await findVariant(dir, dtype);
    layout = layoutOf(dir, modelPath);
  }
  const graph = await readGraphSummary(modelPath);
  if (layout === 'genai') dtype = genaiDtype(modelPath, graph, options.dtype);
  const modelFiles = await dataFiles(modelPath, graph);
  let modelBytes = 0;
  for (const file of modelFiles) modelBytes += (await stat(file)).size;
  return { layout, dtype, modelPath, modelFiles, modelBytes, genaiConfig, graph };
}

function layoutOf(dir: string, modelPath: string): ModelLayout {
  return relative(dir, modelPath).split(sep)[0] === 'onnx' ? 'onnx-community' : 'optimum';
}

async function findVariant(dir: string, dtype: ModelDtype): Promise<string> {
  const suffix = MODEL_DTYPE_SUFFIXES[dtype];
  const looked: string[] = [];
  for (const folder of FOLDERS) {
    for (const base of GRAPH_BASES) {
      const file = join(folder, `${base}${suffix}.onnx`);
      looked.push(file);
      if (await isFile(join(dir, file))) return join(dir, file);
    }
  }
  const available = await availableVariants(dir);
  if (available.length > 0) {
    throw new ModelDirError('MODEL_VARIANT_MISSING', `${dir} has no ${dtype} variant`, {
      details: `it has ${available.map((v) => `${v.dtype} (${v.file})`).join(', ')}; pass dtype to pick one`,
    });
  }
  throw new ModelDirError(
    'MODEL_LAYOUT_UNKNOWN',
    `${dir} is not laid out as an optimum, onnx-community or onnxruntime-genai export`,
    { details: `looked for ${GENAI_CONFIG}, then ${looked.join(', ')}` },
  );
}

/** Every dtype variant a directory holds, by the transformers.js suffixes. */
export async function availableVariants(
  dir: string,
): Promise<{ dtype: ModelDtype; file: string }[]> {
  const found: { dtype: ModelDtype; file: string }[] = [];
  for (const folder of FOLDERS) {
    const names = await readdir(join(dir, folder)).catch(() => [] as string[]);
    for (const [dtype, suffix] of Object.entries(MODEL_DTYPE_SUFFIXES) as [ModelDtype, string][]) {
      for (const base of GRAPH_BASES) {
        const name = `${base}${suffix}.onnx`;
        if (names.includes(name) && !found.some((f) => f.dtype === dtype)) {
          found.push({ dtype, file: join(folder, name) });
        }
      }
    }
  }
  return found;
}

/** A genai directory holds one variant: its dtype is what its weights are, and a request for another is refused. */
function genaiDtype(
  modelPath: string,
  graph: GraphSummary,
  wanted: ModelDtype | undefined,
): ModelDtype {
  const bits = graph.nbits?.bits;
  const quantized = graph.ops.has(':DequantizeLinear') || graph.ops.has(':MatMulInteger');
  const actual: ModelDtype = bits === 4 ? 'q4' : bits === 8 || quantized ? 'q8' : 'fp32';
  const floatVariant = actual === 'fp32' && (wanted === 'fp16' || wanted === 'fp32');
  if (wanted === undefined || wanted === actual || floatVariant) return wanted ?? actual;
  throw new ModelDirError('MODEL_VARIANT_MISSING', `${modelPath} has no ${wanted} variant`, {
    details: `an onnxruntime-genai directory holds one variant, and this one is ${actual}`,
  });
}

async function dataFiles(modelPath: string, graph: GraphSummary): Promise<string[]> {
  const folder = dirname(modelPath);
  const files = [modelPath];
  for (const location of graph.externalData) {
    const path = join(folder, location);
    if (!(await isFile(path))) {
      throw new ModelDirError(
        'MODEL_EXTERNAL_DATA_MISSING',
        `${modelPath} keeps weights in ${location}, which is missing`,
        { details: `expected ${path} beside the graph (download it with the graph)` },
      );
    }
    files.push(path);
  }
  return files;
}

async function readGenaiConfig(dir: string): Promise<GenaiConfig | undefined> {
  const path = join(dir, GENAI_CONFIG);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ModelDirError('MODEL_FILE_MISSING', `cannot read ${path}`, { cause });
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
  const parsed = GenaiConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new ModelDirError('MODEL_CONFIG_INVALID', `${path} does not describe a decoder`, {
      details: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      cause: parsed.error,
    });
  }
  return parsed.data;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

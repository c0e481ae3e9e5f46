import { posix } from 'node:path';
import { MODEL_DTYPE_SUFFIXES, type ModelDtype } from '../model/ModelDtype';
import { HubError } from './HubError';
import type { RepoFile } from './listRepo';

/** What a pull fetches: the files a model variant needs, a PEFT adapter's two files, or everything. */
export type PullKind = 'model' | 'adapter' | 'all';

/** The small files a model directory is read with, beside its graph. */
export const MODEL_METADATA_FILES = [
  'config.json',
  'generation_config.json',
  'genai_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'added_tokens.json',
  'tokenizer.model',
  'vocab.json',
  'merges.txt',
  'chat_template.jinja',
  'chat_template.json',
] as const;

/** transformers.js's separate embedder, which soft-token methods need. */
export const EMBEDDER_FILE = 'onnx/embed_tokens.onnx';

/**
 * Files a model pull fetches when the repository has them: the metadata and the embedder.
 * Those it lacks are recorded in `.no_exist/`, so a later pull knows without asking.
 */
export const OPTIONAL_MODEL_FILES: readonly string[] = [...MODEL_METADATA_FILES, EMBEDDER_FILE];

export const ADAPTER_FILES = ['adapter_config.json', 'adapter_model.safetensors'] as const;

/** Paths relative to the pulled folder (the subfolder, when one is given). */
const within = (files: readonly RepoFile[], subfolder: string) =>
  new Map(
    files
      .filter((f) => !subfolder || f.path.startsWith(`${subfolder}/`))
      .map((f) => [subfolder ? f.path.slice(subfolder.length + 1) : f.path, f]),
  );

/** A graph and the external-data files beside it (`x.onnx_data`, `x.onnx_data_1`, `x.onnx.data`). */
function withData(byPath: ReadonlyMap<string, RepoFile>, graph: string): string[] {
  const data = [...byPath.keys()].filter(
    (p) => p === `${graph}_data` || p.startsWith(`${graph}_data_`) || p === `${graph}.data`,
  );
  return [graph, ...data];
}

export interface SelectFilesInput {
  files: readonly RepoFile[];
  subfolder: string;
  kind: PullKind;
  dtype: ModelDtype;
  /** For genai exports: `decoder.filename` of the folder's genai_config.json, once read. */
  genaiGraph?: string | undefined;
  /** How errors name the repository (`org/name@revision`); default "the repository". */
  label?: string | undefined;
}

/**
 * The repository files one pull needs, in folder-relative paths. For a model: the metadata
 * files it has, then the graph exactly as the runtime's resolver picks it (genai_config's
 * decoder, else `onnx/model{suffix}.onnx`, `onnx/decoder_model_merged{suffix}.onnx`, then the
 * same at the root) with its external data, and the fp32 `onnx/embed_tokens.onnx` when there
 * is one. Other variants are never fetched.
 */
export function selectFiles(input: SelectFilesInput): Map<string, RepoFile> {
  const byPath = within(input.files, input.subfolder);
  const repo = input.label ?? 'the repository';
  const pick = (paths: readonly string[]) =>
    new Map(paths.filter((p) => byPath.has(p)).map((p) => [p, byPath.get(p)!]));
  if (input.kind === 'all') return byPath;
  if (input.kind === 'adapter') {
    const missing = ADAPTER_FILES.filter((f) => !byPath.has(f));
    if (missing.length > 0) {
      throw new HubError('HUB_ENTRY_NOT_FOUND', `${repo} holds no PEFT adapter`, {
        details: `missing ${missing.join(', ')}`,
      });
    }
    return pick(ADAPTER_FILES);
  }
  const metadata = MODEL_METADATA_FILES.filter((f) => byPath.has(f));
  // A genai export names its graph inside genai_config.json: until that is read, only metadata.
  if (byPath.has('genai_config.json') && input.genaiGraph === undefined) return pick(metadata);
  if (input.genaiGraph !== undefined) {
    const graph = posix.normalize(input.genaiGraph);
    if (!byPath.has(graph)) {
      throw new HubError(
        'HUB_ENTRY_NOT_FOUND',
        `genai_config.json names ${graph}, which ${repo} lacks`,
      );
    }
    return pick([...metadata, ...withData(byPath, graph)]);
  }
  const suffix = MODEL_DTYPE_SUFFIXES[input.dtype];
  const graph = ['onnx/', '']
    .flatMap((folder) => [
      `${folder}model${suffix}.onnx`,
      `${folder}decoder_model_merged${suffix}.onnx`,
    ])
    .find((p) => byPath.has(p));
  if (!graph) {
    const variants = [...byPath.keys()].filter((p) => p.endsWith('.onnx'));
    throw new HubError('HUB_ENTRY_NOT_FOUND', `${repo} has no ${input.dtype} variant`, {
      details: variants.length ? `its graphs: ${variants.join(', ')}` : 'it holds no .onnx file',
    });
  }
  const embed = byPath.has(EMBEDDER_FILE) ? withData(byPath, EMBEDDER_FILE) : [];
  return pick([...metadata, ...withData(byPath, graph), ...embed]);
}

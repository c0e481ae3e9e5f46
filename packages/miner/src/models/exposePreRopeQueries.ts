import { randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import {
  DataType,
  derivedModelDir,
  exposeTensor,
  inferElemType,
  loadModelDir,
  locateModelFiles,
  type ModelDtype,
  readModel,
  writeModel,
} from '@signal/runtime';
import { MinerRequestError } from './MinerRequestError';
import { oncePerDirectory } from './oncePerDirectory';
import { findQueryProjections } from './queryProjections';

/** Graph output holding layer `l`'s queries before RoPE, `[batch, seq, heads × head_dim]`. */
export const preRopeQueriesOutput = (layer: number): string => `pre_rope_queries.${layer}`;

const MANIFEST = 'signal_prerope.json';

interface Manifest {
  readonly modelPath: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * A copy of a model directory whose graph also outputs every layer's pre-RoPE queries (the
 * q projection's output, after its bias when it has one; the first columns of a packed QKV
 * projection), as `expected_attention` needs. Node names are matched as optimum, the
 * builder and onnxruntime-genai write them (`findQueryProjections`).
 * Written once beside the model (`<dir>-prerope`, see `derivedModelDir` for hub-cache snapshots), swapped in atomically, and reused while
 * the source model file is unchanged. Returns the copy's directory.
 */
export function exposePreRopeQueries(dir: string, dtype?: ModelDtype): Promise<string> {
  return oncePerDirectory(`pre-rope-queries-${dtype ?? 'fp32'}`, dir, (source) =>
    prepare(source, dtype),
  );
}

async function prepare(source: string, dtype: ModelDtype | undefined): Promise<string> {
  const out = derivedModelDir(source, dtype && dtype !== 'fp32' ? `prerope-${dtype}` : 'prerope');
  const { modelPath } = await locateModelFiles(source, dtype ? { dtype } : {});
  const info = await stat(modelPath);
  const wanted: Manifest = { modelPath, size: info.size, mtimeMs: info.mtimeMs };
  const existing = await readManifest(out);
  if (existing && JSON.stringify(existing) === JSON.stringify(wanted)) return out;

  const model = await readModel(modelPath);
  const graph = model.graph ?? {};
  const projections = findQueryProjections(graph.node ?? []);
  if (projections.size === 0) {
    throw new MinerRequestError(
      'MINER_NOT_SERVED',
      `Model ${source} has no q projection nodes (/model/layers.N/self_attn/q_proj, /model/layers.N/attn/q_proj or qkv_proj), so its pre-RoPE queries cannot be exposed.`,
      { details: 'expected_attention needs an export that keeps the exporters’ node names.' },
    );
  }
  const queryWidth = async () => {
    const { config } = await loadModelDir(source, dtype ? { dtype } : {});
    const heads = config.num_attention_heads;
    return heads * (config.head_dim ?? Math.floor(config.hidden_size / heads));
  };
  for (const [layer, { output, packed }] of projections) {
    const name = preRopeQueriesOutput(layer);
    if (!packed) {
      exposeTensor(graph, output, { as: name });
      continue;
    }
    // Packed QKV: the queries are its first heads·head_dim columns.
    const elemType = inferElemType(graph, output);
    const bound = (suffix: string, value: number) => {
      const tensor = `${name}/Slice/${suffix}`;
      graph.initializer = [
        ...(graph.initializer ?? []),
        { name: tensor, data_type: DataType.INT64, dims: [1], int64_data: [value] },
      ];
      return tensor;
    };
    const width = await queryWidth();
    graph.node = [
      ...(graph.node ?? []),
      {
        name: `${name}/Slice`,
        op_type: 'Slice',
        input: [output, bound('starts', 0), bound('ends', width), bound('axes', -1)],
        output: [name],
      },
    ];
    exposeTensor(graph, name, { elemType });
  }
  const temp = `${out}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(temp, { recursive: true });
    for (const entry of await readdir(source)) {
      await cp(join(source, entry), join(temp, entry), { recursive: true, dereference: true });
    }
    const file = join(temp, relative(source, modelPath));
    const name = basename(modelPath);
    const siblings = await readdir(join(modelPath, '..'));
    const sideData = siblings.some((f) => f !== name && f.startsWith(name));
    await writeModel(model, file, { externalData: sideData });
    await writeFile(join(temp, MANIFEST), `${JSON.stringify(wanted, null, 2)}\n`);
    await rm(out, { recursive: true, force: true });
    await rename(temp, out);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  return out;
}

async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

import { randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import {
  derivedModelDir,
  exposeTensor,
  findNodes,
  locateModelFiles,
  type ModelDtype,
  readModel,
  writeModel,
} from '@signal/runtime';
import { MinerRequestError } from './MinerRequestError';
import { oncePerDirectory } from './oncePerDirectory';

/** Graph output holding layer `l`'s queries before RoPE, `[batch, seq, heads × head_dim]`. */
export const preRopeQueriesOutput = (layer: number): string => `pre_rope_queries.${layer}`;

const MANIFEST = 'signal_prerope.json';
/** The q projection nodes (and their bias Adds) of an optimum-named export, by layer. */
export const Q_PROJ = /^\/model\/layers\.(\d+)\/self_attn\/q_proj\/(MatMul|Add)$/;

interface Manifest {
  readonly modelPath: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * A copy of a model directory whose graph also outputs every layer's pre-RoPE queries (the
 * q projection's output, after its bias when it has one), as `expected_attention` needs.
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
  const byLayer = new Map<number, { op: string; output: string }>();
  for (const { node } of findNodes(graph, Q_PROJ)) {
    const [, layer, op] = Q_PROJ.exec(node.name ?? '') ?? [];
    const output = node.output?.[0];
    if (layer === undefined || op === undefined || output === undefined) continue;
    // The bias Add, when there is one, follows the MatMul: prefer it.
    if (op === 'Add' || !byLayer.has(Number(layer))) byLayer.set(Number(layer), { op, output });
  }
  if (byLayer.size === 0) {
    throw new MinerRequestError(
      'MINER_NOT_SERVED',
      `Model ${source} has no /model/layers.N/self_attn/q_proj nodes, so its pre-RoPE queries cannot be exposed.`,
      { details: 'expected_attention needs an optimum-style export (or a built model).' },
    );
  }
  for (const [layer, { output }] of byLayer) {
    exposeTensor(graph, output, { as: preRopeQueriesOutput(layer) });
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

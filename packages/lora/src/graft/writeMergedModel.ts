import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  DataType,
  makeTensor,
  readModel,
  type TensorProto,
  tensorValues,
  writeModel,
} from '@signal/runtime';
import { LoraError } from '../errors/LoraError';
import type { LoraAdapter } from '../peft/LoraAdapter';
import { findGraphLinears } from './findLoraTargets';
import { findModelFile } from './findModelFile';

/**
 * Writes a copy of a base model with an adapter merged into its weights, `W + s·(BA)ᵀ`
 * (here `W + a·b` with our `[in, r]`/`[r, out]` factors). This is the offline-merged model
 * PEFT's `merge_and_unload` would give, and the oracle grafted runs are checked against.
 */
export async function writeMergedModel(
  baseDir: string,
  adapter: LoraAdapter,
  outDir: string,
): Promise<string> {
  const source = resolve(baseDir);
  const modelFile = await findModelFile(source);
  const model = await readModel(join(source, modelFile));
  const linears = new Map(findGraphLinears(model.graph ?? {}).map((l) => [l.weight.name ?? '', l]));
  const merged = new Set<string>();
  const initializer = (model.graph?.initializer ?? []).map((tensor): TensorProto => {
    const linear = linears.get(tensor.name ?? '');
    const weights = linear && adapter.modules.get(linear.module);
    if (!linear || !weights) return tensor;
    const w = Float32Array.from(tensorValues(tensor) as Float32Array);
    const { inFeatures: n, outFeatures: m, rank, a, b } = weights;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < rank; k++) {
        const aik = a[i * rank + k]!;
        for (let j = 0; j < m; j++) w[i * m + j]! += aik * b[k * m + j]!;
      }
    }
    merged.add(linear.module);
    return makeTensor(tensor.name ?? '', DataType.FLOAT, [n, m], w);
  });
  const missing = [...adapter.modules.keys()].filter((m) => !merged.has(m));
  if (missing.length > 0) {
    throw new LoraError(
      'LORA_TARGET_MISSING',
      `The base model has no weight for module ${missing[0]}`,
    );
  }
  await mkdir(join(outDir, modelFile, '..'), { recursive: true });
  for (const entry of await readdir(source, { withFileTypes: true })) {
    if (entry.isFile()) await copyFile(join(source, entry.name), join(outDir, entry.name));
  }
  const out = join(outDir, modelFile);
  await writeModel({ ...model, graph: { ...model.graph, initializer } }, out);
  return out;
}

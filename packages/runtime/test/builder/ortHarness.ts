/** Small helpers to feed built models to ORT and read weights back for the reference. */
import { type LlamaConfig, readModel, tensorValues } from '@signal/runtime';
import * as ort from 'onnxruntime-node';
import type { LayerCache, Vector, WeightTable } from './llamaReference';

export async function weightTable(modelPath: string): Promise<WeightTable> {
  const model = await readModel(modelPath);
  const table = new Map<string, Float32Array>();
  for (const tensor of model.graph?.initializer ?? []) {
    table.set(tensor.name ?? '', tensorValues(tensor) as Float32Array);
  }
  return (name) => {
    const values = table.get(name);
    if (!values) throw new Error(`no weight ${name}`);
    return values;
  };
}

export const int64 = (rows: number[][]) =>
  new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [
    rows.length,
    rows[0]!.length,
  ]);

/** Empty or given past caches for every layer, batch-first ORT tensors. */
export function pastFeeds(
  config: LlamaConfig,
  batch: number,
  past?: ort.InferenceSession.OnnxValueMapType,
) {
  const feeds: Record<string, ort.Tensor> = {};
  for (let layer = 0; layer < config.num_hidden_layers; layer++) {
    for (const kind of ['key', 'value']) {
      feeds[`past_key_values.${layer}.${kind}`] =
        (past?.[`present.${layer}.${kind}`] as ort.Tensor | undefined) ??
        new ort.Tensor('float32', new Float32Array(0), [
          batch,
          config.num_key_value_heads,
          0,
          config.head_dim,
        ]);
    }
  }
  return feeds;
}

/** Row `b`, position `s` of a `[batch, seq, n]` tensor. */
export function rowAt(tensor: ort.Tensor, b: number, s: number): Vector {
  const [, seq, n] = tensor.dims as [number, number, number];
  const data = tensor.data as Float32Array;
  const start = (b * seq + s) * n;
  return Array.from(data.subarray(start, start + n));
}

/** Head `h`, position `s` of batch row `b` of a `[batch, heads, seq, dim]` tensor. */
export function headAt(tensor: ort.Tensor, b: number, h: number, s: number): Vector {
  const [, heads, seq, dim] = tensor.dims as [number, number, number, number];
  const start = ((b * heads + h) * seq + s) * dim;
  return Array.from((tensor.data as Float32Array).subarray(start, start + dim));
}

/** A batch row's cache as the reference takes it, optionally keeping only some positions. */
export function cacheOf(
  config: LlamaConfig,
  out: ort.InferenceSession.OnnxValueMapType,
  b: number,
  keep?: number[],
): LayerCache[] {
  return Array.from({ length: config.num_hidden_layers }, (_, layer) => {
    const read = (kind: string) => {
      const tensor = out[`present.${layer}.${kind}`] as ort.Tensor;
      const positions = keep ?? Array.from({ length: tensor.dims[2]! }, (_, i) => i);
      return Array.from({ length: config.num_key_value_heads }, (_, h) =>
        positions.map((s) => headAt(tensor, b, h, s)),
      );
    };
    return { keys: read('key'), values: read('value') };
  });
}

/** Packs reference caches (one per batch row) into past_key_values feeds. */
export function cacheFeeds(config: LlamaConfig, rows: LayerCache[][]) {
  const feeds: Record<string, ort.Tensor> = {};
  const length = rows[0]![0]!.keys[0]!.length;
  for (let layer = 0; layer < config.num_hidden_layers; layer++) {
    for (const kind of ['keys', 'values'] as const) {
      const flat = rows.flatMap((row) => row[layer]![kind].flatMap((head) => head.flat()));
      feeds[`past_key_values.${layer}.${kind === 'keys' ? 'key' : 'value'}`] = new ort.Tensor(
        'float32',
        Float32Array.from(flat),
        [rows.length, config.num_key_value_heads, length, config.head_dim],
      );
    }
  }
  return feeds;
}

export function maxAbsDiff(a: Vector, b: Vector): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

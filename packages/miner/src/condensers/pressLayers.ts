import type { ForwardResult } from '@signal/runtime';
import { preRopeQueriesOutput } from '../models/exposePreRopeQueries';
import { MinerRequestError } from '../models/MinerRequestError';
import type { PressLayer } from '../presses/PressLayer';
import { PRESSES, type PressName } from '../presses/presses';
import type { Tensor3 } from '../presses/Tensor3';

/** Output name of layer `l`'s post-RoPE queries, as the runtime's graph tools expose them. */
export const queriesOutput = (layer: number): string => `queries.${layer}`;

/**
 * The per-layer inputs a press needs from a single-row prefill: the cached keys (and values),
 * plus the `queries.N` graph outputs for presses that look at queries. A model that does not
 * expose what the press needs cannot run it. With `from`, only cache positions from there on
 * are pressed: the last forward pass's own tokens, on top of a cache that came before.
 */
export function pressLayers(
  prefill: ForwardResult,
  press: PressName,
  model: string,
  from = 0,
): PressLayer[] {
  const { cache, extras } = prefill;
  const method = PRESSES[press];
  const length = cache.length - from;
  const shape = [cache.kvHeads, length, cache.headDim] as const;
  const window = (data: Float32Array) =>
    from === 0 ? data : positionsFrom(data, cache.kvHeads, cache.length, cache.headDim, from);
  return cache.layers.map((layer, index) => {
    const base: PressLayer = {
      keys: { data: window(layer.key), shape },
      values: method.needsValues ? { data: window(layer.value), shape } : undefined,
      preRopeQueries: method.needsPreRopeQueries
        ? headMajor(extras[preRopeQueriesOutput(index)], cache.headDim, press, model, index)
        : undefined,
    };
    if (!method.needsQueries) return base;
    const queries = extras[queriesOutput(index)];
    if (!queries) {
      throw new MinerRequestError(
        'MINER_NOT_SERVED',
        `Press "${press}" needs the graph output "${queriesOutput(index)}", which model "${model}" does not expose.`,
        { details: 'Export the model with its post-RoPE queries as outputs (exposeQueries).' },
      );
    }
    const [, heads, length, headDim] = queries.dims as readonly number[];
    return {
      ...base,
      queries: {
        data: queries.data as Float32Array,
        shape: [heads ?? 0, length ?? 0, headDim ?? 0],
      },
    };
  });
}

/** A `[1, seq, heads × head_dim]` projection output as `[heads, seq, head_dim]`. */
function headMajor(
  output: ForwardResult['extras'][string] | undefined,
  headDim: number,
  press: PressName,
  model: string,
  layer: number,
): Tensor3 {
  if (!output) {
    throw new MinerRequestError(
      'MINER_NOT_SERVED',
      `Press "${press}" needs the graph output "${preRopeQueriesOutput(layer)}", which model "${model}" does not expose.`,
    );
  }
  const [, seq = 0, width = 0] = output.dims as readonly number[];
  const heads = width / headDim;
  const data = output.data as Float32Array;
  const out = new Float32Array(data.length);
  for (let t = 0; t < seq; t++) {
    for (let h = 0; h < heads; h++) {
      const from = (t * heads + h) * headDim;
      out.set(data.subarray(from, from + headDim), (h * seq + t) * headDim);
    }
  }
  return { data: out, shape: [heads, seq, headDim] };
}

/** Positions `[from, length)` of every head of a `[heads, length, headDim]` tensor. */
function positionsFrom(
  data: Float32Array,
  heads: number,
  length: number,
  headDim: number,
  from: number,
): Float32Array {
  const rows = length - from;
  const out = new Float32Array(heads * rows * headDim);
  for (let h = 0; h < heads; h++) {
    out.set(
      data.subarray((h * length + from) * headDim, (h + 1) * length * headDim),
      h * rows * headDim,
    );
  }
  return out;
}

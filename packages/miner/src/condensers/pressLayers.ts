import type { ForwardResult } from '@signal/runtime';
import { MinerRequestError } from '../models/MinerRequestError';
import type { PressLayer } from '../presses/PressLayer';
import { PRESSES, type PressName } from '../presses/presses';

/** Output name of layer `l`'s post-RoPE queries, as the runtime's graph tools expose them. */
export const queriesOutput = (layer: number): string => `queries.${layer}`;

/**
 * The per-layer inputs a press needs from a single-row prefill: the cached keys (and values),
 * plus the `queries.N` graph outputs for presses that look at queries. A model that does not
 * expose what the press needs cannot run it.
 */
export function pressLayers(prefill: ForwardResult, press: PressName, model: string): PressLayer[] {
  const { cache, extras } = prefill;
  const method = PRESSES[press];
  if (method.needsPreRopeQueries) {
    throw new MinerRequestError(
      'MINER_NOT_SERVED',
      `Press "${press}" needs pre-RoPE queries, which model "${model}" does not expose.`,
    );
  }
  const shape = [cache.kvHeads, cache.length, cache.headDim] as const;
  return cache.layers.map((layer, index) => {
    const base: PressLayer = {
      keys: { data: layer.key, shape },
      values: method.needsValues ? { data: layer.value, shape } : undefined,
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

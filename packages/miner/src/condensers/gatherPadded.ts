import { KvCache } from '@signal/runtime';
import type { HeadBudgetSelection } from '../presses/HeadBudgetSelection';
import { PressInputError } from '../presses/PressInputError';

/**
 * A rectangular cache for a selection whose heads keep different counts: every head holds
 * its own positions, then zero keys and values up to the widest head. A zero key scores 0
 * against every query, so a pad takes weight e⁰ against the real positions' e^logit: none
 * to speak of wherever attention has a clear winner (as in the reference model), but not
 * nothing, and the payload is as wide as the widest head.
 */
export function gatherPadded(cache: KvCache, selection: HeadBudgetSelection): KvCache {
  if (cache.batch !== 1 || !cache.fullyAttended) {
    throw new PressInputError('Head budgets need a single-row, fully attended cache.');
  }
  const { kvHeads, headDim, length } = cache;
  const width = selection.widest;
  if (selection.layers.length !== cache.numLayers) {
    throw new PressInputError(
      `The selection has ${selection.layers.length} layers; the cache has ${cache.numLayers}.`,
    );
  }
  const layers = cache.layers.map((layer, l) => {
    const heads = selection.layers[l]!;
    if (heads.length !== kvHeads) {
      throw new PressInputError(`Layer ${l} selects ${heads.length} heads of ${kvHeads}.`);
    }
    const key = new Float32Array(kvHeads * width * headDim);
    const value = new Float32Array(kvHeads * width * headDim);
    heads.forEach((positions, h) => {
      positions.forEach((p, j) => {
        if (p < 0 || p >= length) {
          throw new PressInputError(
            `Layer ${l} head ${h} keeps position ${p}, outside [0, ${length}).`,
          );
        }
        const from = (h * length + p) * headDim;
        const to = (h * width + j) * headDim;
        key.set(layer.key.subarray(from, from + headDim), to);
        value.set(layer.value.subarray(from, from + headDim), to);
      });
    });
    return { key, value };
  });
  return new KvCache({
    batch: 1,
    kvHeads,
    headDim,
    length: width,
    layers,
    nextPositions: cache.nextPositions,
  });
}

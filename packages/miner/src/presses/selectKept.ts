import type { HeadScores } from './HeadScores';
import type { KeptSelection } from './KeptSelection';
import { keptCount } from './keptCount';
import { PressInputError } from './PressInputError';
import { selectTopK } from './selectTopK';

/**
 * Keeps the top-k positions of every head of every layer, with the same
 * `k = keptCount(length, ratio)` everywhere (see `keptCount` for the rounding).
 */
export function selectKept(scores: readonly HeadScores[], ratio: number): KeptSelection {
  if (scores.length === 0) throw new PressInputError('No layers to select from.');
  const length = scores[0]!.length;
  const kept = keptCount(length, ratio);
  const layers = scores.map((layer, index) => {
    if (layer.length !== length) {
      throw new PressInputError(
        `Layer ${index} scores ${layer.length} positions but layer 0 scores ${length}.`,
        'Every layer caches the same tokens.',
      );
    }
    if (
      !Number.isInteger(layer.heads) ||
      layer.heads < 1 ||
      layer.data.length !== layer.heads * length
    ) {
      throw new PressInputError(
        `Layer ${index} scores hold ${layer.data.length} values, not heads × length = ${layer.heads} × ${length}.`,
      );
    }
    const heads: Int32Array[] = [];
    for (let h = 0; h < layer.heads; h++) {
      const row = layer.data.subarray(h * length, (h + 1) * length);
      heads.push(selectTopK(row, kept, `Layer ${index} head ${h}`));
    }
    return heads;
  });
  return { originalLength: length, kept, layers };
}

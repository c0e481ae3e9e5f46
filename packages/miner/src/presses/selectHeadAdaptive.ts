import type { HeadBudgetSelection } from './HeadBudgetSelection';
import type { HeadScores } from './HeadScores';
import { keptCount } from './keptCount';
import { PressInputError } from './PressInputError';
import { selectTopK } from './selectTopK';

export interface HeadAdaptiveOptions {
  /**
   * Share of the uniform per-head count every head keeps whatever its scores (default 0.2,
   * AdaKV's safeguard), so no head is emptied.
   */
  safeguard?: number;
}

export const DEFAULT_SAFEGUARD = 0.2;

/**
 * Head-adaptive budgets (AdaKV, arXiv 2407.11550) over any press's scores: instead of the
 * same top-k in every head, each layer keeps one global top-(heads × k) over all its heads'
 * (head, position) scores, after every head's own top ⌊safeguard × k⌋ is set aside for it.
 * A head whose attention is concentrated gives budget to one whose attention is spread.
 * Ties go to later positions, then to lower heads. Scores must be comparable across heads
 * (attention-like scores are).
 */
export function selectHeadAdaptive(
  scores: readonly HeadScores[],
  ratio: number,
  options: HeadAdaptiveOptions = {},
): HeadBudgetSelection {
  const safeguard = options.safeguard ?? DEFAULT_SAFEGUARD;
  if (!Number.isFinite(safeguard) || safeguard < 0 || safeguard > 1) {
    throw new PressInputError(`safeguard must be a number in [0, 1], got ${safeguard}.`);
  }
  if (scores.length === 0) throw new PressInputError('No layers to select from.');
  const length = scores[0]!.length;
  const kept = keptCount(length, ratio);
  let widest = 0;
  let perLayer = 0;
  const layers = scores.map((layer, index) => {
    const { heads } = layer;
    if (layer.length !== length || layer.data.length !== heads * length) {
      throw new PressInputError(
        `Layer ${index} scores do not cover ${length} positions of ${heads} heads.`,
      );
    }
    perLayer = heads * kept;
    const safe = Math.floor(kept * safeguard);
    const chosen = new Uint8Array(heads * length);
    for (let h = 0; h < heads; h++) {
      const row = layer.data.subarray(h * length, (h + 1) * length);
      for (const p of selectTopK(row, safe, `Layer ${index} head ${h}`)) chosen[h * length + p] = 1;
    }
    const open: number[] = [];
    for (let i = 0; i < heads * length; i++) {
      if (chosen[i] === 0) {
        if (Number.isNaN(layer.data[i]!)) {
          throw new PressInputError(`Layer ${index} has a NaN score at ${i % length}.`);
        }
        open.push(i);
      }
    }
    const data = layer.data;
    open.sort((a, b) => data[b]! - data[a]! || (b % length) - (a % length) || a - b);
    for (let i = 0; i < perLayer - heads * safe; i++) chosen[open[i]!] = 1;
    return Array.from({ length: heads }, (_, h) => {
      const positions: number[] = [];
      for (let p = 0; p < length; p++) if (chosen[h * length + p] === 1) positions.push(p);
      widest = Math.max(widest, positions.length);
      return Int32Array.from(positions);
    });
  });
  return { originalLength: length, kept, perLayer, widest, layers };
}

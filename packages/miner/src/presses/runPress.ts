import type { HeadScores } from './HeadScores';
import type { KeptSelection } from './KeptSelection';
import { keptCount } from './keptCount';
import { PressInputError } from './PressInputError';
import type { PressLayer } from './PressLayer';
import { isPressName, PRESSES, type PressName, type PressOptionsByName } from './presses';
import { selectKept } from './selectKept';
import { assertTensor3 } from './Tensor3';

export interface RunPressParameters<Name extends PressName> {
  press: Name;
  layers: readonly PressLayer[];
  /** Fraction of positions removed, 0 <= ratio < 1. */
  ratio: number;
  options?: PressOptionsByName[Name];
}

/**
 * Scores every layer with the named press and selects what to keep. At a ratio that keeps
 * everything, scoring is skipped (it cannot change the outcome) and every position is kept.
 */
export function runPress<Name extends PressName>(
  parameters: RunPressParameters<Name>,
): KeptSelection {
  const { press, layers, ratio } = parameters;
  // Names can come off the wire: refuse anything that is not our own key (e.g. "toString").
  if (!isPressName(press)) throw new PressInputError(`Unknown press "${String(press)}".`);
  const method = PRESSES[press];
  if (layers.length === 0) throw new PressInputError('No layers to press.');
  for (const [index, layer] of layers.entries()) assertTensor3(layer.keys, `layer ${index} keys`);
  const length = layers[0]!.keys.shape[1];
  const kept = keptCount(length, ratio);
  const options = (parameters.options ?? {}) as PressOptionsByName[Name];
  const score = method.score as (
    layer: PressLayer,
    index: number,
    opts: PressOptionsByName[Name],
  ) => HeadScores;
  const scores = layers.map((layer, index) =>
    kept === length ? flatScores(layer) : score(layer, index, options),
  );
  return selectKept(scores, ratio);
}

/** Equal scores: with nothing to drop, selection keeps every position in order. */
function flatScores(layer: PressLayer): HeadScores {
  const [heads, length] = layer.keys.shape;
  return { heads, length, data: new Float32Array(heads * length) };
}

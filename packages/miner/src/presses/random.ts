import { SeededRandom } from '@signal/runtime';
import type { HeadScores } from './HeadScores';
import { PressInputError } from './PressInputError';
import { assertTensor3, type Tensor3 } from './Tensor3';

export interface RandomOptions {
  /** 32-bit integer seed; the same seed, layer and shape always give the same scores (default 0). */
  seed?: number;
}

/**
 * Random press: uniform scores from a seeded generator, the honest baseline every other
 * press must beat. Each layer gets its own stream, derived from (seed, layer).
 */
export function randomScores(
  keys: Tensor3,
  layer: number,
  options: RandomOptions = {},
): HeadScores {
  assertTensor3(keys, 'keys');
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 32) {
    throw new PressInputError(`random seed must be a 32-bit integer, got ${seed}.`);
  }
  const [heads, length] = keys.shape;
  // A labelled stream per layer, so layers do not share one.
  const random = new SeededRandom(seed, `layer ${layer}`);
  const out = new Float32Array(heads * length);
  for (let i = 0; i < out.length; i++) out[i] = random.next();
  return { heads, length, data: out };
}

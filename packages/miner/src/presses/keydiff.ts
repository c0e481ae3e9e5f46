import type { HeadScores } from './HeadScores';
import { PressInputError } from './PressInputError';
import { assertTensor3, type Tensor3 } from './Tensor3';

/**
 * KeyDiff press (arXiv 2504.15364): keys that differ most from the head's average key are
 * kept. Per head, the anchor is the mean of the unit-normalised keys; a key scores −cos(k,
 * anchor), so keys pointing where most keys point go first. A zero key (or a zero anchor)
 * has no direction and scores 0.
 */
export function keyDiffScores(keys: Tensor3): HeadScores {
  assertTensor3(keys, 'keys');
  const [heads, length, headDim] = keys.shape;
  const k = keys.data;
  const out = new Float32Array(heads * length);
  const inverseNorms = new Float64Array(length);
  const anchor = new Float64Array(headDim);
  for (let head = 0; head < heads; head++) {
    anchor.fill(0);
    const base = head * length * headDim;
    for (let j = 0; j < length; j++) {
      let squares = 0;
      for (let d = 0; d < headDim; d++) squares += k[base + j * headDim + d]! ** 2;
      const inverse = squares > 0 ? 1 / Math.sqrt(squares) : 0;
      inverseNorms[j] = inverse;
      for (let d = 0; d < headDim; d++) anchor[d]! += k[base + j * headDim + d]! * inverse;
    }
    let anchorSquares = 0;
    for (let d = 0; d < headDim; d++) anchorSquares += anchor[d]! ** 2;
    const anchorInverse = anchorSquares > 0 ? 1 / Math.sqrt(anchorSquares) : 0;
    for (let j = 0; j < length; j++) {
      let dot = 0;
      for (let d = 0; d < headDim; d++) dot += k[base + j * headDim + d]! * anchor[d]!;
      const score = -dot * inverseNorms[j]! * anchorInverse;
      if (Number.isNaN(score)) {
        throw new PressInputError(
          'keydiff produced NaN scores.',
          'The keys hold NaN or infinite values.',
        );
      }
      out[head * length + j] = score;
    }
  }
  return { heads, length, data: out };
}

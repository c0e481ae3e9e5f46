import type { HeadScores } from './HeadScores';
import { assertTensor3, type Tensor3 } from './Tensor3';

/**
 * Key-norm press: score = −‖k‖₂ per head and position. Keys with small norms tend to draw
 * large attention (arXiv 2406.11430), so the largest norms are the first to go.
 */
export function knormScores(keys: Tensor3): HeadScores {
  assertTensor3(keys, 'keys');
  const [heads, length, headDim] = keys.shape;
  const out = new Float32Array(heads * length);
  const k = keys.data;
  for (let row = 0; row < heads * length; row++) {
    let sum = 0;
    const base = row * headDim;
    for (let d = 0; d < headDim; d++) {
      const v = k[base + d]!;
      sum += v * v;
    }
    out[row] = -Math.sqrt(sum);
  }
  return { heads, length, data: out };
}

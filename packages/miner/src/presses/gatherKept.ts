import { PressInputError } from './PressInputError';
import { assertTensor3, type Tensor3 } from './Tensor3';

/**
 * Gathers the kept positions of each head out of `[heads, len, head_dim]` into
 * `[heads, kept, head_dim]`: applied to a layer's keys and to its values, it prunes the cache.
 */
export function gatherKept(tensor: Tensor3, keptPerHead: readonly Int32Array[]): Tensor3 {
  assertTensor3(tensor, 'tensor');
  const [heads, length, headDim] = tensor.shape;
  if (keptPerHead.length !== heads) {
    throw new PressInputError(
      `Selection has ${keptPerHead.length} heads but the tensor has ${heads}.`,
    );
  }
  const kept = keptPerHead[0]!.length;
  const out = new Float32Array(heads * kept * headDim);
  for (let h = 0; h < heads; h++) {
    const positions = keptPerHead[h]!;
    if (positions.length !== kept) {
      throw new PressInputError(
        `Head ${h} keeps ${positions.length} positions, head 0 keeps ${kept}.`,
      );
    }
    for (let i = 0; i < kept; i++) {
      const p = positions[i]!;
      if (p < 0 || p >= length) {
        throw new PressInputError(`Head ${h} keeps position ${p}, outside [0, ${length}).`);
      }
      const from = (h * length + p) * headDim;
      out.set(tensor.data.subarray(from, from + headDim), (h * kept + i) * headDim);
    }
  }
  return { data: out, shape: [heads, kept, headDim] };
}

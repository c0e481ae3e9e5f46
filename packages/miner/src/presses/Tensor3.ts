import { PressInputError } from './PressInputError';

/**
 * A dense float32 tensor of rank 3 in C order, e.g. one layer's keys `[kv_heads, len, head_dim]`
 * with the batch dimension already dropped. Kept free of any runtime so presses stay pure.
 */
export interface Tensor3 {
  readonly data: Float32Array;
  readonly shape: readonly [number, number, number];
}

/** Checks that `tensor` has positive integer dims whose product is its data length. */
export function assertTensor3(tensor: Tensor3, what: string): void {
  const { data, shape } = tensor;
  if (!(data instanceof Float32Array)) {
    throw new PressInputError(`${what} must hold a Float32Array.`);
  }
  if (!Array.isArray(shape) || shape.length !== 3) {
    throw new PressInputError(`${what} must have a rank-3 shape, got [${String(shape)}].`);
  }
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 1) {
      throw new PressInputError(
        `${what} has a bad shape [${shape.join(', ')}].`,
        'Every dimension must be a positive integer.',
      );
    }
  }
  const expected = shape[0] * shape[1] * shape[2];
  if (data.length !== expected) {
    throw new PressInputError(
      `${what} holds ${data.length} values but its shape [${shape.join(', ')}] needs ${expected}.`,
    );
  }
}

import { narrowToHalves } from '../tensor/codecFloat16';
import { PayloadError } from './PayloadError';
import type { RawTensor } from './TensorLeaf';

const bytesOf = (view: ArrayBufferView): Uint8Array =>
  new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

/**
 * float32 values as a raw float32 tensor (a view, no copy) or a float16 one (rounded half
 * to even). Values must be finite, in float16 after rounding; `where` names the tensor in
 * the `PayloadError` otherwise.
 */
export function encodeFloatTensor(
  values: Float32Array,
  shape: readonly number[],
  dtype: 'float16' | 'float32',
  where: string,
): RawTensor {
  if (dtype === 'float32') {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        throw new PayloadError('PAYLOAD_UNDECODABLE', where, `element ${i} is ${values[i]}`);
      }
    }
    return { dtype, shape: [...shape], data: bytesOf(values) };
  }
  const halves = narrowToHalves(values);
  if (halves.firstNonFinite >= 0) {
    throw new PayloadError(
      'PAYLOAD_UNDECODABLE',
      where,
      `element ${halves.firstNonFinite} (${values[halves.firstNonFinite]}) is not finite in float16`,
    );
  }
  return { dtype, shape: [...shape], data: bytesOf(halves.bits) };
}

import { type EncodedPayload, payloadLeaves, type RawTensor } from '@signal/core';

/**
 * The buffers of an encoded payload that can move to the main thread instead of being
 * copied: each one a tensor allocated for the payload alone (its view spans the whole
 * buffer). float32 tensors are views of the cache a runtime made and stay copied.
 */
export function payloadBuffers(payload: EncodedPayload): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const { leaf } of payloadLeaves<RawTensor>(payload)) {
    const { buffer, byteOffset, byteLength } = leaf.data;
    if (leaf.dtype === 'float32' || !(buffer instanceof ArrayBuffer)) continue;
    if (byteOffset === 0 && byteLength === buffer.byteLength) buffers.add(buffer);
  }
  return [...buffers];
}

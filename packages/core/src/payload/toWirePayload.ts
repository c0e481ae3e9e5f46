import { encodeTensorBytes } from '../tensor/codec';
import {
  type CondensedPayload,
  type EncodedKvTensor,
  type EncodedPayload,
  isQuantized,
  type KvTensor,
} from './CondensedPayload';

function wireHalf(tensor: EncodedKvTensor): KvTensor {
  if (!isQuantized(tensor)) return encodeTensorBytes(tensor);
  return {
    ...tensor,
    codes: encodeTensorBytes(tensor.codes),
    scale: encodeTensorBytes(tensor.scale),
    zero: encodeTensorBytes(tensor.zero),
  };
}

/** The JSON wire form of an encoded payload: every raw tensor as a bittensor `Tensor` (base64 msgpack-numpy). */
export function toWirePayload(payload: EncodedPayload): CondensedPayload {
  switch (payload.format) {
    case 'kv':
      return {
        ...payload,
        layers: payload.layers.map((layer) => ({
          key: wireHalf(layer.key),
          value: wireHalf(layer.value),
        })),
      };
    case 'soft':
      return { ...payload, embeddings: encodeTensorBytes(payload.embeddings) };
    case 'text':
      return payload;
  }
}

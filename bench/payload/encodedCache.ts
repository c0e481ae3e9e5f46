import {
  type EncodedKvPayload,
  encodeKvTensor,
  type KvFormatOptions,
} from '../../packages/core/src/index';
import { MISTRAL_7B, syntheticHalf } from './synthetic';

/**
 * A 7B-shaped cache of `kept` tokens encoded as a miner's condenser leaves it: raw tensors,
 * quantized when asked. Built layer by layer, so only the encoded form stays in memory.
 */
export function encodedCache(kept: number, format: KvFormatOptions): EncodedKvPayload {
  const shape = [1, MISTRAL_7B.kvHeads, kept, MISTRAL_7B.headDim];
  return {
    format: 'kv',
    model: 'mistralai/Mistral-7B-Instruct-v0.2',
    adapter: null,
    original_tokens: kept * 4,
    condensed_tokens: kept,
    original_length: kept * 4,
    kept,
    layers: Array.from({ length: MISTRAL_7B.layers }, (_, l) => ({
      key: encodeKvTensor(syntheticHalf(kept, l, 'key'), shape, 'key', format, `layers[${l}].key`),
      value: encodeKvTensor(
        syntheticHalf(kept, l, 'value'),
        shape,
        'value',
        format,
        `layers[${l}].value`,
      ),
    })),
  };
}

/** Bytes of raw tensor data a payload holds (what "the payload's raw size" means below). */
export function rawBytes(payload: EncodedKvPayload): number {
  let total = 0;
  for (const layer of payload.layers) {
    for (const half of [layer.key, layer.value]) {
      total +=
        'quantization' in half
          ? half.codes.data.byteLength + half.scale.data.byteLength + half.zero.data.byteLength
          : half.data.byteLength;
    }
  }
  return total;
}

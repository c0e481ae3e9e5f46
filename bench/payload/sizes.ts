/**
 * Bytes per kept token of each way a 7B-shaped cache can travel, measured on real encodings:
 * the synapse JSON with base64 float16 tensors, and binary frames of fp16, int8 and int4
 * (the whole body: prefix, header, tensors). The fp32 `.npy` baseline is what Neural
 * Condense shipped: one `[layers, 2, kv_heads, kept, head_dim]` float32 array with its
 * 128-byte header.
 */
import {
  type EncodedKvPayload,
  framePayload,
  type KvFormatOptions,
  toWirePayload,
} from '../../packages/core/src/index';
import { encodedCache } from './encodedCache';
import { MISTRAL_7B } from './synthetic';

/** The synapse answer as a Condense JSON body would carry it (field order as the axon writes it). */
function jsonBytes(payload: EncodedKvPayload): number {
  const synapse = {
    context: '',
    target_model: payload.model,
    tier: 'research',
    adapter: null,
    condensed: toWirePayload(payload),
  };
  return Buffer.byteLength(JSON.stringify(synapse));
}

export function bytesPerToken(kept: number) {
  const { layers, kvHeads, headDim } = MISTRAL_7B;
  const npy = 128 + layers * 2 * kvHeads * kept * headDim * 4;
  const frame = (format: KvFormatOptions) =>
    framePayload(encodedCache(kept, format)).byteLength / kept;
  const perToken = {
    fp32_npy: npy / kept,
    fp16_base64_json: jsonBytes(encodedCache(kept, { format: 'fp16' })) / kept,
    fp16_binary: frame({ format: 'fp16' }),
    int8_binary: frame({ format: 'int8' }),
    int4_binary: frame({ format: 'int4' }),
    int4_g64_binary: frame({ format: 'int4', groupSize: 64 }),
    int4_g128_binary: frame({ format: 'int4', groupSize: 128 }),
  };
  const ratio = Object.fromEntries(
    Object.entries(perToken).map(([key, bytes]) => [
      key,
      Number((bytes / perToken.fp32_npy).toFixed(4)),
    ]),
  );
  return {
    kept,
    bytes_per_token: Object.fromEntries(
      Object.entries(perToken).map(([key, bytes]) => [key, Number(bytes.toFixed(1))]),
    ),
    ratio_to_fp32_npy: ratio,
    targets: { int8_binary: 0.27, int4_binary: 0.14 },
  };
}

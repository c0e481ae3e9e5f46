import {
  type BtTensor,
  declaredByteLength,
  decodeTensor,
  encodeTensor,
  type KvPayload,
} from '@signal/core';
import { KvCache, type KvLayer } from './KvCache';
import { KvCacheError } from './KvCacheError';

export interface KvCacheToPayloadOptions {
  /** The target model's name, as the payload's receiver knows it. */
  model: string;
  adapter?: string | null;
  /** Element type on the wire; float16 halves the size at ~1e-3 relative precision. Default float16. */
  dtype?: 'float16' | 'float32';
  /** Tokens of the context before condensing. Default: the cache's original length. */
  originalTokens?: number;
}

/** The geometry a restored cache must have to fit a model. */
export interface KvGeometry {
  numLayers: number;
  kvHeads: number;
  headDim: number;
}

export interface KvCacheFromPayloadOptions {
  /** Refuse caches made for a model of another shape. */
  expect?: KvGeometry;
  /** Ceiling on each tensor's raw bytes; default its declared size (validatePayload enforces the total). */
  maxTensorBytes?: number;
}

/**
 * A single-row, fully attended cache as core's `kv` CondensedPayload: per layer
 * `[1, kv_heads, kept, head_dim]` tensors in bittensor's Tensor encoding.
 */
export function kvCacheToPayload(cache: KvCache, options: KvCacheToPayloadOptions): KvPayload {
  if (cache.batch !== 1) {
    throw new KvCacheError('KV_BATCHED', 'a kv payload carries a single-row cache', {
      details: `this cache has ${cache.batch} rows; split it with row() first`,
    });
  }
  if (cache.length === 0 || !cache.fullyAttended) {
    throw new KvCacheError(
      'KV_PAYLOAD_INVALID',
      'only a non-empty, fully attended cache can become a payload',
      {
        details:
          cache.length === 0
            ? 'the cache is empty'
            : 'the cache masks some positions; gather the attended ones first',
      },
    );
  }
  const dtype = options.dtype ?? 'float16';
  const shape = [1, cache.kvHeads, cache.length, cache.headDim];
  const encode = (data: Float32Array, where: string): BtTensor => {
    try {
      return encodeTensor({ dtype, shape, data });
    } catch (cause) {
      throw new KvCacheError('KV_PAYLOAD_INVALID', `cannot encode ${where}`, {
        details: cause instanceof Error ? cause.message : String(cause),
        cause,
      });
    }
  };
  return {
    format: 'kv',
    model: options.model,
    adapter: options.adapter ?? null,
    original_tokens: options.originalTokens ?? cache.originalLength,
    condensed_tokens: cache.length,
    original_length: cache.originalLength,
    kept: cache.length,
    layers: cache.layers.map((layer, i) => ({
      key: encode(layer.key, `layers[${i}].key`),
      value: encode(layer.value, `layers[${i}].value`),
    })),
  };
}

/** Rebuilds a KvCache from a `kv` payload; position ids continue from its `original_length`. */
export function kvCacheFromPayload(
  payload: KvPayload,
  options: KvCacheFromPayloadOptions = {},
): KvCache {
  const fail = (where: string, details: string, cause?: unknown): KvCacheError =>
    new KvCacheError('KV_PAYLOAD_INVALID', `kv payload ${where} does not fit`, { details, cause });
  const { expect } = options;
  if (expect && payload.layers.length !== expect.numLayers) {
    throw fail('layers', `${payload.layers.length} layers, the model has ${expect.numLayers}`);
  }
  if (payload.original_length < payload.kept) {
    throw fail(
      'original_length',
      `original_length ${payload.original_length} is below kept ${payload.kept}`,
    );
  }
  const first = payload.layers[0]!.key.shape;
  const kvHeads = expect?.kvHeads ?? first[1] ?? 0;
  const headDim = expect?.headDim ?? first[3] ?? 0;
  const want = [1, kvHeads, payload.kept, headDim];
  const decode = (tensor: BtTensor, where: string): Float32Array => {
    if (tensor.shape.length !== 4 || tensor.shape.some((d, i) => d !== want[i])) {
      throw fail(where, `shape [${tensor.shape.join(', ')}], expected [${want.join(', ')}]`);
    }
    try {
      const decoded = decodeTensor(tensor, {
        maxBytes: options.maxTensorBytes ?? declaredByteLength(tensor.dtype, tensor.shape),
      });
      if (decoded.data instanceof Float32Array) return decoded.data;
      if (decoded.data instanceof Float64Array) return Float32Array.from(decoded.data);
      throw fail(where, `dtype ${tensor.dtype} is not a float type`);
    } catch (cause) {
      if (cause instanceof KvCacheError) throw cause;
      throw fail(where, cause instanceof Error ? cause.message : String(cause), cause);
    }
  };
  const layers: KvLayer[] = payload.layers.map((layer, i) => ({
    key: decode(layer.key, `layers[${i}].key`),
    value: decode(layer.value, `layers[${i}].value`),
  }));
  return new KvCache({
    batch: 1,
    kvHeads,
    headDim,
    length: payload.kept,
    layers,
    nextPositions: [payload.original_length],
  });
}

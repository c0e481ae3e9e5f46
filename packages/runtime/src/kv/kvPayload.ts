import {
  type DecodedKv,
  decodeKvPayload,
  type EncodedKvPayload,
  encodeKvTensor,
  type KvDtype,
  type KvFormat,
  type KvPayload,
  PayloadError,
  toWirePayload,
} from '@signal/core';
import { HalfKvLayer } from './HalfKvLayer';
import { KvCache, type KvLayer } from './KvCache';
import { KvCacheError } from './KvCacheError';

export interface KvCacheToPayloadOptions {
  /** The target model's name, as the payload's receiver knows it. */
  model: string;
  adapter?: string | null;
  /**
   * How the halves travel: fp16 (default, ~1e-3 relative precision), fp32 (exact, twice
   * the size), or int8/int4 codes with float16 scales and zero points in KIVI's layout.
   */
  format?: KvFormat;
  /** int8/int4 group size (default: int4 32, int8 the whole axis). */
  groupSize?: number;
  /** The float dtype, for callers that only choose between the float formats. */
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
  /** The dtype to hold the cache in: float32 (default) or float16 (what a float16 graph takes, kept as half bits). */
  dtype?: KvDtype;
}

function formatOf(options: KvCacheToPayloadOptions): KvFormat {
  if (options.format) return options.format;
  return options.dtype === 'float32' ? 'fp32' : 'fp16';
}

/**
 * A single-row, fully attended cache as a `kv` payload with its tensors as raw bytes (what
 * a binary frame carries, and what crosses threads as transferable buffers), in the format
 * asked for. Quantization happens here, on the kept positions only, layer by layer.
 */
export function kvCacheToEncodedPayload(
  cache: KvCache,
  options: KvCacheToPayloadOptions,
): EncodedKvPayload {
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
  const format = { format: formatOf(options), groupSize: options.groupSize };
  const shape = [1, cache.kvHeads, cache.length, cache.headDim];
  const encode = (data: Float32Array, half: 'key' | 'value', where: string) => {
    try {
      return encodeKvTensor(data, shape, half, format, where);
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
      key: encode(layer.key, 'key', `layers[${i}].key`),
      value: encode(layer.value, 'value', `layers[${i}].value`),
    })),
  };
}

/** The same as core's `kv` CondensedPayload for the JSON wire: tensors as bittensor `Tensor`s. */
export function kvCacheToPayload(cache: KvCache, options: KvCacheToPayloadOptions): KvPayload {
  return toWirePayload(kvCacheToEncodedPayload(cache, options)) as KvPayload;
}

/**
 * A KvCache over a decoded payload: float16 layers stay half bits (`HalfKvLayer`, fed to a
 * float16 graph as is), float32 ones are used directly. Position ids continue from its
 * original length.
 */
export function kvCacheFromDecoded(
  decoded: DecodedKv,
  options: { expect?: KvGeometry } = {},
): KvCache {
  const { expect } = options;
  if (
    expect &&
    (decoded.layers.length !== expect.numLayers ||
      decoded.kvHeads !== expect.kvHeads ||
      decoded.headDim !== expect.headDim)
  ) {
    throw new KvCacheError('KV_PAYLOAD_INVALID', 'the decoded cache does not fit the model', {
      details: `[${decoded.layers.length} layers, ${decoded.kvHeads} heads, head_dim ${decoded.headDim}], the model has [${expect.numLayers}, ${expect.kvHeads}, ${expect.headDim}]`,
    });
  }
  const layers: KvLayer[] = decoded.layers.map((layer) =>
    layer.key instanceof Uint16Array
      ? new HalfKvLayer(layer.key, layer.value as Uint16Array)
      : { key: layer.key, value: layer.value as Float32Array },
  );
  return new KvCache({
    batch: 1,
    kvHeads: decoded.kvHeads,
    headDim: decoded.headDim,
    length: decoded.kept,
    layers,
    nextPositions: [decoded.originalLength],
  });
}

/** Rebuilds a KvCache from a `kv` payload (any format, dequantized); position ids continue from its `original_length`. */
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
  payload.layers.forEach((layer, i) => {
    for (const half of ['key', 'value'] as const) {
      const { shape } = layer[half];
      if (shape.length !== 4 || shape.some((d, axis) => d !== want[axis])) {
        throw fail(
          `layers[${i}].${half}`,
          `shape [${shape.join(', ')}], expected [${want.join(', ')}]`,
        );
      }
    }
  });
  let decoded: DecodedKv;
  try {
    decoded = decodeKvPayload(payload, { dtype: options.dtype ?? 'float32', path: 'payload' });
  } catch (cause) {
    if (!(cause instanceof PayloadError)) throw cause;
    throw fail(cause.path.replace(/^payload\./, ''), cause.reason, cause);
  }
  return kvCacheFromDecoded(decoded);
}

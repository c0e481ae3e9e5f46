import { type BtTensor, declaredByteLength } from '../tensor/BtTensor';
import { decodeTensorBytes } from '../tensor/codec';
import { TensorCodecError } from '../tensor/codecError';
import {
  type AnyKvPayload,
  type EncodedKvPayload,
  type EncodedKvTensor,
  isQuantized,
  type KvPayload,
  type KvTensor,
} from './CondensedPayload';
import type { DecodedKv, KvDtype, KvDtypeArrays } from './DecodedKv';
import { decodeKvTensor } from './decodeKvTensor';
import { kvFormatOf } from './KvFormat';
import { PayloadError } from './PayloadError';
import type { RawTensor } from './TensorLeaf';

export interface DecodeKvOptions<D extends KvDtype> {
  /** The dtype the target runtime holds its cache in. */
  readonly dtype: D;
  /** Where the payload sits in its message, for error paths; `condensed` by default. */
  readonly path?: string;
}

type Layer<D extends KvDtype> = { key: KvDtypeArrays[D]; value: KvDtypeArrays[D] };

/** The DecodedKv of a payload whose every layer has been decoded into `layers`. */
export function decodedKv<D extends KvDtype>(
  payload: AnyKvPayload,
  dtype: D,
  layers: Layer<D>[],
): DecodedKv<D> {
  const [, kvHeads, kept, headDim] = payload.layers[0]!.key.shape as [
    number,
    number,
    number,
    number,
  ];
  return {
    model: payload.model,
    adapter: payload.adapter,
    originalTokens: payload.original_tokens,
    condensedTokens: payload.condensed_tokens,
    originalLength: payload.original_length,
    kept,
    kvHeads,
    headDim,
    format: kvFormatOf(payload),
    dtype,
    layers,
  };
}

function rawOf(tensor: BtTensor, path: string): RawTensor {
  try {
    const bytes = decodeTensorBytes(tensor, {
      maxBytes: declaredByteLength(tensor.dtype, tensor.shape),
    });
    return { dtype: bytes.dtype, shape: [...bytes.shape], data: bytes.data };
  } catch (cause) {
    if (!(cause instanceof TensorCodecError)) throw cause;
    throw new PayloadError('PAYLOAD_UNDECODABLE', path, cause.shortMessage, {
      details: cause.details,
      cause,
    });
  }
}

function rawHalf(tensor: KvTensor, path: string): EncodedKvTensor {
  if (!isQuantized(tensor)) return rawOf(tensor, path);
  return {
    ...tensor,
    codes: rawOf(tensor.codes, `${path}.codes`),
    scale: rawOf(tensor.scale, `${path}.scale`),
    zero: rawOf(tensor.zero, `${path}.zero`),
  };
}

/**
 * Decodes a `kv` payload from the JSON wire (it must have passed `validatePayload`) into the
 * dtype the target runtime wants, one layer at a time: the base64 of a layer is decoded,
 * dequantized and dropped before the next. Throws a `PayloadError` naming the tensor whose
 * buffer does not decode; no partial result escapes.
 */
export function decodeKvPayload<D extends KvDtype>(
  payload: KvPayload,
  options: DecodeKvOptions<D>,
): DecodedKv<D> {
  const root = options.path ?? 'condensed';
  const layers = payload.layers.map((layer, index) => {
    const at = `${root}.layers[${index}]`;
    return {
      key: decodeKvTensor(rawHalf(layer.key, `${at}.key`), options.dtype, `${at}.key`),
      value: decodeKvTensor(rawHalf(layer.value, `${at}.value`), options.dtype, `${at}.value`),
    };
  });
  return decodedKv(payload, options.dtype, layers);
}

/** The same for a payload already held as raw bytes (from a condenser, or a binary frame). */
export function decodeEncodedKv<D extends KvDtype>(
  payload: EncodedKvPayload,
  options: DecodeKvOptions<D>,
): DecodedKv<D> {
  const root = options.path ?? 'condensed';
  const layers = payload.layers.map((layer, index) => {
    const at = `${root}.layers[${index}]`;
    return {
      key: decodeKvTensor(layer.key, options.dtype, `${at}.key`),
      value: decodeKvTensor(layer.value, options.dtype, `${at}.value`),
    };
  });
  return decodedKv(payload, options.dtype, layers);
}

import { OnnxError } from './OnnxError';
import { modelProtoType } from './onnxSchema';
import type { ModelProto } from './proto';

/** Decodes serialized ONNX bytes into a plain `ModelProto` (external data is not resolved here). */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const type = modelProtoType();
  try {
    const message = type.decode(bytes);
    return type.toObject(message, { longs: Number, enums: Number }) as ModelProto;
  } catch (cause) {
    throw new OnnxError('ONNX_DECODE_FAILED', 'The bytes are not a valid ONNX ModelProto', {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
}

/**
 * Serializes a plain `ModelProto`. Protobuf caps a message at 2 GiB, so models with large
 * weights must move them to external data first (`writeModel` does that on request).
 */
export function encodeModel(model: ModelProto): Uint8Array {
  try {
    return modelProtoType().encode(model).finish();
  } catch (cause) {
    throw new OnnxError('ONNX_ENCODE_FAILED', 'Could not serialize the ONNX model', {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
}

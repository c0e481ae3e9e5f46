import { byteWidth, DataType, dataTypeName } from './dataType';
import { OnnxError } from './OnnxError';
import { DataLocation, type TensorProto } from './proto';

/** The typed arrays a tensor's values come back as. */
export type TensorValues =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** The element count implied by a shape (1 for a scalar). */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((count, dim) => count * dim, 1);
}

/** Views the bytes of a typed array without copying (ONNX raw data is little-endian, as is every platform Node ships for). */
export function bytesOf(values: ArrayBufferView): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** A tensor whose values are stored as `raw_data`, the form exporters write for weights. */
export function makeTensor(
  name: string,
  dataType: number,
  dims: readonly number[],
  values: ArrayBufferView,
): TensorProto {
  const width = byteWidth(dataType);
  if (width === undefined) {
    throw new OnnxError(
      'ONNX_TENSOR_INVALID',
      `Cannot store ${dataTypeName(dataType)} as raw data`,
      {
        details: `tensor "${name}"`,
      },
    );
  }
  const expected = elementCount(dims) * width;
  if (values.byteLength !== expected) {
    throw new OnnxError('ONNX_TENSOR_INVALID', `Tensor "${name}" has the wrong number of bytes`, {
      details: `shape [${dims.join(', ')}] of ${dataTypeName(dataType)} needs ${expected} bytes, got ${values.byteLength}`,
    });
  }
  return { name, data_type: dataType, dims: [...dims], raw_data: bytesOf(values) };
}

/**
 * Copies bytes into a fresh, aligned buffer so typed-array views over them are legal
 * (decoded `raw_data` is a view into the file at an arbitrary offset; Node Buffers'
 * `slice` would not copy).
 */
function aligned(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

function fromRaw(name: string, dataType: number, bytes: Uint8Array): TensorValues {
  const width = byteWidth(dataType);
  if (width !== undefined && bytes.byteLength % width !== 0) {
    throw new OnnxError('ONNX_TENSOR_INVALID', `Tensor "${name}" has a torn raw_data`, {
      details: `${bytes.byteLength} bytes is not a whole number of ${dataTypeName(dataType)} values (${width} bytes each)`,
    });
  }
  const buffer = aligned(bytes);
  switch (dataType) {
    case DataType.FLOAT:
      return new Float32Array(buffer);
    case DataType.DOUBLE:
      return new Float64Array(buffer);
    case DataType.INT8:
      return new Int8Array(buffer);
    case DataType.UINT8:
    case DataType.BOOL:
      return new Uint8Array(buffer);
    case DataType.INT16:
      return new Int16Array(buffer);
    case DataType.UINT16:
    case DataType.FLOAT16:
    case DataType.BFLOAT16:
      return new Uint16Array(buffer);
    case DataType.INT32:
      return new Int32Array(buffer);
    case DataType.UINT32:
      return new Uint32Array(buffer);
    case DataType.INT64:
      return new BigInt64Array(buffer);
    case DataType.UINT64:
      return new BigUint64Array(buffer);
    default:
      throw new OnnxError(
        'ONNX_TENSOR_INVALID',
        `Unsupported tensor type ${dataTypeName(dataType)}`,
      );
  }
}

/** Reads values stored in the typed fields (`float_data`, `int32_data`, ...) rather than raw bytes. */
function fromFields(tensor: TensorProto, dataType: number): TensorValues {
  switch (dataType) {
    case DataType.FLOAT:
      return Float32Array.from(tensor.float_data ?? []);
    case DataType.DOUBLE:
      return Float64Array.from(tensor.double_data ?? []);
    case DataType.INT64:
      return BigInt64Array.from((tensor.int64_data ?? []).map((v) => BigInt(v)));
    case DataType.UINT64:
      return BigUint64Array.from((tensor.uint64_data ?? []).map((v) => BigInt(v)));
    case DataType.UINT32:
      return Uint32Array.from(tensor.uint64_data ?? []);
    case DataType.INT32:
      return Int32Array.from(tensor.int32_data ?? []);
    case DataType.INT8:
      return Int8Array.from(tensor.int32_data ?? []);
    case DataType.INT16:
      return Int16Array.from(tensor.int32_data ?? []);
    case DataType.UINT8:
    case DataType.BOOL:
      return Uint8Array.from(tensor.int32_data ?? []);
    case DataType.UINT16:
    case DataType.FLOAT16:
    case DataType.BFLOAT16:
      // ONNX stores 16-bit values, including float16 bit patterns, widened into int32_data.
      return Uint16Array.from(tensor.int32_data ?? []);
    default:
      throw new OnnxError(
        'ONNX_TENSOR_INVALID',
        `Unsupported tensor type ${dataTypeName(dataType)}`,
      );
  }
}

/**
 * A tensor's values as a typed array, whichever field holds them. float16/bfloat16 come
 * back as their raw 16-bit patterns. External data must be loaded first (`readModel` does).
 */
export function tensorValues(tensor: TensorProto): TensorValues {
  const name = tensor.name ?? '(unnamed)';
  if (tensor.data_location === DataLocation.EXTERNAL) {
    throw new OnnxError('ONNX_TENSOR_INVALID', `Tensor "${name}" still points at external data`, {
      details: 'load the model with readModel(path) so external data is read in',
    });
  }
  const dataType = tensor.data_type ?? DataType.UNDEFINED;
  const values =
    tensor.raw_data !== undefined
      ? fromRaw(name, dataType, tensor.raw_data)
      : fromFields(tensor, dataType);
  const expected = elementCount(tensor.dims ?? []);
  if (values.length !== expected) {
    throw new OnnxError('ONNX_TENSOR_INVALID', `Tensor "${name}" holds ${values.length} values`, {
      details: `its shape [${(tensor.dims ?? []).join(', ')}] needs ${expected}`,
    });
  }
  return values;
}

/** The tensor's values as little-endian raw bytes (for externalising typed-field tensors). */
export function tensorBytes(tensor: TensorProto): Uint8Array {
  return tensor.raw_data ?? bytesOf(tensorValues(tensor));
}

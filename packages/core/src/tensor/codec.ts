import { type BtTensor, DTYPES, type DType, elementCount } from './BtTensor';
import { TensorCodecError } from './codecError';
import { narrowToHalves, widenHalves } from './codecFloat16';
import { decodeNumpyRecord, encodeNumpyRecord } from './codecMsgpackNumpy';
import { dtypeOfNumpyType, NUMPY_TYPE_STRINGS } from './codecNumpyType';

/** The JS array a dtype decodes to. float16 widens to float32; bool is 0/1 bytes. */
export interface TensorArrays {
  float16: Float32Array;
  float32: Float32Array;
  float64: Float64Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  int64: BigInt64Array;
  uint8: Uint8Array;
  bool: Uint8Array;
}

export type TensorArray = TensorArrays[DType];

/** A decoded tensor: C-order elements with their dtype and shape. */
export interface DecodedTensor<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: TensorArrays[D];
}

export interface TensorInput {
  readonly dtype: DType;
  /** `[]` for a scalar; it is sent as `[0]`, as bittensor does. */
  readonly shape: readonly number[];
  /** Elements in C order; `bigint`s for int64. */
  readonly data: ArrayLike<number> | ArrayLike<bigint>;
}

export interface TensorCodecOptions {
  /** Allow NaN and ±Infinity in float tensors. Off by default: they poison scores. */
  readonly allowNonFinite?: boolean;
}

export interface DecodeTensorOptions extends TensorCodecOptions {
  /** Largest raw data size accepted, checked against the declared shape before decoding. */
  readonly maxBytes: number;
}

const INT_RANGES: Partial<Record<DType, readonly [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  bool: [0, 1],
};

function checkFinite(values: ArrayLike<number>, where: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v - v !== 0) {
      throw new TensorCodecError(
        'TENSOR_NON_FINITE',
        `Tensor has a non-finite value at index ${i}.`,
        {
          details: `${where}: got ${v}`,
        },
      );
    }
  }
}

function checkShape(shape: readonly number[], where: string): number {
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new TensorCodecError('TENSOR_SHAPE', 'Tensor shape must be non-negative integers.', {
      details: `${where}: [${shape.join(', ')}]`,
    });
  }
  return elementCount(shape);
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function refuseNonFiniteHalf(bits: Uint16Array, index: number, where: string): void {
  if (index >= 0) {
    throw new TensorCodecError(
      'TENSOR_NON_FINITE',
      `Tensor has a non-finite value at index ${index}.`,
      {
        details: `${where}: float16 bits 0x${(bits[index] as number).toString(16)}`,
      },
    );
  }
}

function rawBytes(input: TensorInput, count: number, allowNonFinite: boolean): Uint8Array {
  const { dtype, data } = input;
  if (dtype === 'int64') {
    const out = new BigInt64Array(count);
    for (let i = 0; i < count; i++) {
      const v = data[i];
      if (typeof v !== 'bigint') {
        throw new TensorCodecError('TENSOR_VALUE', `int64 element ${i} must be a bigint.`);
      }
      out[i] = v;
    }
    return new Uint8Array(out.buffer);
  }
  const numbers = data as ArrayLike<number>;
  // Typed arrays hold numbers by construction; only plain arrays need the check.
  if (!ArrayBuffer.isView(numbers)) {
    for (let i = 0; i < count; i++) {
      if (typeof numbers[i] !== 'number') {
        throw new TensorCodecError('TENSOR_VALUE', `${dtype} element ${i} must be a number.`);
      }
    }
  }
  if (dtype === 'float16') {
    const halves = narrowToHalves(numbers);
    // Checked after rounding: NaN and infinities stay so, and finite values beyond ±65504
    // become infinite in half precision.
    if (!allowNonFinite) {
      refuseNonFiniteHalf(halves.bits, halves.firstNonFinite, 'float16 (after rounding)');
    }
    return new Uint8Array(halves.bits.buffer);
  }
  if (dtype === 'float32')
    return bytesOf(numbers instanceof Float32Array ? numbers : Float32Array.from(numbers));
  if (dtype === 'float64')
    return bytesOf(numbers instanceof Float64Array ? numbers : Float64Array.from(numbers));
  const [lo, hi] = INT_RANGES[dtype] ?? [0, 0];
  for (let i = 0; i < count; i++) {
    const v = numbers[i] as number;
    if (!Number.isInteger(v) || v < lo || v > hi) {
      throw new TensorCodecError('TENSOR_VALUE', `${dtype} element ${i} is out of range.`, {
        details: `got ${v}, allowed integers ${lo}..${hi}`,
      });
    }
  }
  const Typed = {
    int8: Int8Array,
    int16: Int16Array,
    int32: Int32Array,
    uint8: Uint8Array,
    bool: Uint8Array,
  }[dtype as 'int8' | 'int16' | 'int32' | 'uint8' | 'bool'];
  return new Uint8Array(Typed.from(numbers).buffer);
}

/**
 * `bittensor.Tensor.serialize`: msgpack-numpy bytes (bin keys, little-endian C order) in
 * base64, with the dtype in numpy spelling and a scalar's shape written as `[0]`.
 */
export function encodeTensor(input: TensorInput, options: TensorCodecOptions = {}): BtTensor {
  const count = checkShape(input.shape, 'shape');
  if (input.data.length !== count) {
    throw new TensorCodecError('TENSOR_SHAPE', 'Tensor data length does not match its shape.', {
      details: `shape [${input.shape.join(', ')}] holds ${count} elements, data has ${input.data.length}`,
    });
  }
  if ((input.dtype === 'float32' || input.dtype === 'float64') && !options.allowNonFinite) {
    checkFinite(input.data as ArrayLike<number>, 'input');
  }
  const bytes = rawBytes(input, count, options.allowNonFinite ?? false);
  const record = encodeNumpyRecord({
    type: NUMPY_TYPE_STRINGS[input.dtype],
    shape: input.shape,
    data: bytes,
  });
  return {
    buffer: Buffer.from(record.buffer, record.byteOffset, record.byteLength).toString('base64'),
    dtype: input.dtype,
    shape: input.shape.length === 0 ? [0] : [...input.shape],
  };
}

/**
 * Strict base64: Node's decoder skips characters outside the alphabet and stops at an
 * inner `=`, so any such text decodes to fewer bytes than its length promises; and it
 * accepts the URL-safe `-` and `_`, which Python's decoder would drop, so those are refused.
 */
function decodeBase64(text: string): Buffer {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = Buffer.from(text, 'base64');
  if (
    text.length % 4 !== 0 ||
    bytes.length !== (text.length / 4) * 3 - padding ||
    text.includes('-') ||
    text.includes('_')
  ) {
    throw new TensorCodecError('TENSOR_BASE64', 'Tensor buffer is not valid base64.');
  }
  return bytes;
}
/** msgpack framing around the data: map, keys, type string, shape. Generous upper bound. */
const FRAMING_BYTES = 1024;

function copyAs<D extends DType>(dtype: D, data: Uint8Array, finiteOnly: boolean): TensorArrays[D] {
  const aligned = new Uint8Array(data.length);
  aligned.set(data);
  const buffer = aligned.buffer;
  const halves = () => {
    const bits = new Uint16Array(buffer);
    const widened = widenHalves(bits);
    if (finiteOnly) refuseNonFiniteHalf(bits, widened.firstNonFinite, 'buffer');
    return widened.values;
  };
  const arrays: { [K in DType]: () => TensorArrays[K] } = {
    float16: halves,
    float32: () => new Float32Array(buffer),
    float64: () => new Float64Array(buffer),
    int8: () => new Int8Array(buffer),
    int16: () => new Int16Array(buffer),
    int32: () => new Int32Array(buffer),
    int64: () => new BigInt64Array(buffer),
    uint8: () => aligned,
    bool: () => aligned,
  };
  return arrays[dtype]();
}

/** A tensor's raw little-endian C-order bytes with its dtype and shape, undecoded. */
export interface TensorBytes<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

/**
 * `bittensor.Tensor.serialize` of bytes already in little-endian C order (what the codecs
 * of quantized caches produce): the same msgpack-numpy framing as `encodeTensor`, with no
 * value conversion. The byte length must match the dtype and shape.
 */
export function encodeTensorBytes(input: TensorBytes): BtTensor {
  const count = checkShape(input.shape, 'shape');
  const expected = count * DTYPES[input.dtype].bytes;
  if (input.data.length !== expected) {
    throw new TensorCodecError('TENSOR_SHAPE', 'Tensor data length does not match its shape.', {
      details: `${input.dtype} [${input.shape.join(', ')}] needs ${expected} bytes, got ${input.data.length}`,
    });
  }
  const record = encodeNumpyRecord({
    type: NUMPY_TYPE_STRINGS[input.dtype],
    shape: input.shape,
    data: input.data,
  });
  return {
    buffer: Buffer.from(record.buffer, record.byteOffset, record.byteLength).toString('base64'),
    dtype: input.dtype,
    shape: input.shape.length === 0 ? [0] : [...input.shape],
  };
}

/**
 * `bittensor.Tensor.deserialize` down to the raw bytes, strictly: the declared size is
 * checked against `maxBytes` before anything is decoded, the buffer's numpy type must be
 * the declared dtype (Python would silently cast; we refuse, so a declared size cannot
 * understate the real one), and the data length must match the shape. The bytes are a view
 * into the decoded buffer; values are not looked at.
 */
export function decodeTensorBytes<D extends DType>(
  tensor: BtTensor & { dtype: D },
  options: { readonly maxBytes: number },
): TensorBytes<D> {
  const { dtype } = tensor;
  const count = checkShape(tensor.shape, 'declared shape');
  // `[0]` declares either an empty vector or a scalar (bittensor writes scalars that way),
  // so it may carry at most one element.
  const declaresScalar = tensor.shape.length === 1 && tensor.shape[0] === 0;
  const declaredBytes = (declaresScalar ? 1 : count) * DTYPES[dtype].bytes;
  if (declaredBytes > options.maxBytes) {
    throw new TensorCodecError('TENSOR_TOO_LARGE', 'Tensor is larger than allowed.', {
      details: `declared ${dtype} [${tensor.shape.join(', ')}] is ${declaredBytes} bytes, limit ${options.maxBytes}`,
    });
  }
  const maxBase64 = Math.ceil((declaredBytes + FRAMING_BYTES) / 3) * 4;
  if (tensor.buffer.length > maxBase64) {
    throw new TensorCodecError(
      'TENSOR_TOO_LARGE',
      'Tensor buffer is larger than its declared shape.',
      {
        details: `${tensor.buffer.length} base64 characters for ${declaredBytes} declared bytes`,
      },
    );
  }
  const bytes = decodeBase64(tensor.buffer);
  const record = decodeNumpyRecord(bytes, declaredBytes);
  const bufferDtype = dtypeOfNumpyType(record.type);
  if (bufferDtype === undefined) {
    throw new TensorCodecError('TENSOR_DTYPE', `Unsupported numpy type "${record.type}".`, {
      details: `supported: ${Object.values(NUMPY_TYPE_STRINGS).join(', ')}`,
    });
  }
  if (bufferDtype !== dtype) {
    throw new TensorCodecError(
      'TENSOR_DTYPE',
      'Tensor buffer type differs from its declared dtype.',
      {
        details: `declared ${dtype}, buffer holds ${bufferDtype} (${record.type})`,
      },
    );
  }
  // bittensor declares a scalar as [0] while msgpack_numpy records its shape as [].
  const isScalar = declaresScalar && record.shape.length === 0;
  const recordCount = elementCount(record.shape);
  if (
    !isScalar &&
    (record.shape.length !== tensor.shape.length ||
      recordCount !== count ||
      record.shape.some((d, i) => d !== tensor.shape[i]))
  ) {
    throw new TensorCodecError(
      'TENSOR_SHAPE',
      'Tensor buffer shape differs from its declared shape.',
      {
        details: `declared [${tensor.shape.join(', ')}], buffer [${record.shape.join(', ')}]`,
      },
    );
  }
  const expectedBytes = recordCount * DTYPES[dtype].bytes;
  if (record.data.length !== expectedBytes) {
    throw new TensorCodecError('TENSOR_SHAPE', 'Tensor data length does not match its shape.', {
      details: `shape [${record.shape.join(', ')}] of ${dtype} needs ${expectedBytes} bytes, got ${record.data.length}`,
    });
  }
  return { dtype, shape: isScalar ? [] : record.shape, data: record.data };
}

/**
 * `bittensor.Tensor.deserialize`, strictly (see `decodeTensorBytes`), then the values as a
 * typed array: float16 widened to float32 and, unless allowed, NaN/±inf refused.
 */
export function decodeTensor<D extends DType>(
  tensor: BtTensor & { dtype: D },
  options: DecodeTensorOptions,
): DecodedTensor<D> {
  const { dtype, shape, data: bytes } = decodeTensorBytes(tensor, options);
  const data = copyAs(dtype, bytes, !options.allowNonFinite);
  if (dtype === 'bool' && (data as Uint8Array).some((b) => b > 1)) {
    throw new TensorCodecError('TENSOR_VALUE', 'A bool tensor holds a byte other than 0 or 1.');
  }
  if ((dtype === 'float32' || dtype === 'float64') && !options.allowNonFinite) {
    checkFinite(data as ArrayLike<number>, 'buffer');
  }
  return { dtype, shape, data };
}

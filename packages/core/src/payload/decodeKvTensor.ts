import { dequantizeGroups, dequantizeGroupsToHalves } from '../quantization/dequantizeGroups';
import { narrowInto, widenInto } from '../tensor/codecFloat16';
import { type EncodedKvTensor, isQuantized } from './CondensedPayload';
import type { KvDtype, KvDtypeArrays } from './DecodedKv';
import { PayloadError } from './PayloadError';
import type { RawTensor } from './TensorLeaf';

/** The bytes as a typed array of `Ctor`, copying only when they are not aligned for it. */
function view<T>(
  bytes: Uint8Array,
  Ctor: {
    new (buffer: ArrayBufferLike, offset: number, length: number): T;
    BYTES_PER_ELEMENT: number;
  },
): T {
  const size = Ctor.BYTES_PER_ELEMENT;
  if (bytes.byteOffset % size === 0) {
    return new Ctor(bytes.buffer, bytes.byteOffset, bytes.byteLength / size);
  }
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Ctor(copy.buffer, 0, copy.byteLength / size);
}

/** The index of the first NaN or ±infinity among float16 bits, or -1. */
export function firstNonFiniteHalf(bits: Uint16Array): number {
  for (let i = 0; i < bits.length; i++) if (((bits[i] as number) & 0x7c00) === 0x7c00) return i;
  return -1;
}

/**
 * A quantized half's scale and zero-point bits, refused with `PAYLOAD_SCALE_NON_FINITE`
 * (naming `where` and the part) when one is NaN or infinite.
 */
export function checkedGroupParameters(
  tensor: Extract<EncodedKvTensor, { quantization: unknown }>,
  where: string,
): [scale: Uint16Array, zero: Uint16Array] {
  const bitsOf = (part: 'scale' | 'zero'): Uint16Array => {
    const bits = view(tensor[part].data, Uint16Array);
    const bad = firstNonFiniteHalf(bits);
    if (bad >= 0) {
      throw new PayloadError(
        'PAYLOAD_SCALE_NON_FINITE',
        `${where}.${part}`,
        `${part} ${bad} is not finite (float16 bits 0x${(bits[bad] as number).toString(16)})`,
      );
    }
    return bits;
  };
  return [bitsOf('scale'), bitsOf('zero')];
}

/**
 * One KV half (already checked against the payload's layout) into `dtype`: float tensors
 * are widened or narrowed, quantized ones dequantized (`code · scale + zero` in float32).
 * The result never aliases the input bytes; with `into` (of the half's element count) it is
 * written there instead of a new array. Scales and zero points must be finite and float
 * data must stay finite; `where` names the half in the `PayloadError` otherwise.
 */
export function decodeKvTensor<D extends KvDtype>(
  tensor: EncodedKvTensor,
  dtype: D,
  where: string,
  into?: KvDtypeArrays[D],
): KvDtypeArrays[D] {
  const refuse = (code: 'PAYLOAD_UNDECODABLE', at: string, message: string): never => {
    throw new PayloadError(code, `${where}${at}`, message);
  };
  const count = tensor.shape.reduce((n, d) => n * d, 1);
  if (into !== undefined && into.length !== count) {
    refuse(
      'PAYLOAD_UNDECODABLE',
      '',
      `the output holds ${into.length} elements, the tensor ${count}`,
    );
  }
  if (!isQuantized(tensor)) return decodeFloat(tensor, dtype, refuse, count, into);
  const [scale, zero] = checkedGroupParameters(tensor, where);
  const input = {
    codes: tensor.codes.data,
    scale,
    zero,
    shape: tensor.shape,
    axis: tensor.axis,
    groupSize: tensor.group_size,
    scheme: tensor.quantization,
  };
  try {
    if (dtype === 'float16') {
      const out = (into as Uint16Array | undefined) ?? new Uint16Array(count);
      dequantizeGroupsToHalves(input, out);
      return out as KvDtypeArrays[D];
    }
    const out = (into as Float32Array | undefined) ?? new Float32Array(count);
    dequantizeGroups(input, out);
    return out as KvDtypeArrays[D];
  } catch (cause) {
    return refuse(
      'PAYLOAD_UNDECODABLE',
      '',
      cause instanceof Error ? cause.message : String(cause),
    );
  }
}

/** A float tensor into `dtype`, written into `into` when given (of `count` elements). */
function decodeFloat<D extends KvDtype>(
  tensor: RawTensor,
  dtype: D,
  refuse: (code: 'PAYLOAD_UNDECODABLE', at: string, message: string) => never,
  count: number,
  into: KvDtypeArrays[D] | undefined,
): KvDtypeArrays[D] {
  if (tensor.dtype === 'float16') {
    const bits = view(tensor.data, Uint16Array);
    if (dtype === 'float16') {
      const bad = firstNonFiniteHalf(bits);
      if (bad >= 0) refuse('PAYLOAD_UNDECODABLE', '', `element ${bad} is not finite`);
      const out = (into as Uint16Array | undefined) ?? new Uint16Array(count);
      out.set(bits);
      return out as KvDtypeArrays[D];
    }
    const out = (into as Float32Array | undefined) ?? new Float32Array(count);
    const bad = widenInto(bits, out);
    if (bad >= 0) refuse('PAYLOAD_UNDECODABLE', '', `element ${bad} is not finite`);
    return out as KvDtypeArrays[D];
  }
  if (tensor.dtype !== 'float32') {
    return refuse('PAYLOAD_UNDECODABLE', '.dtype', `${tensor.dtype} is not a float type`);
  }
  const values = view(tensor.data, Float32Array);
  if (dtype === 'float16') {
    const out = (into as Uint16Array | undefined) ?? new Uint16Array(count);
    const bad = narrowInto(values, out);
    if (bad >= 0)
      refuse('PAYLOAD_UNDECODABLE', '', `element ${bad} (${values[bad]}) is not finite in float16`);
    return out as KvDtypeArrays[D];
  }
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) refuse('PAYLOAD_UNDECODABLE', '', `element ${bad} is ${values[bad]}`);
  const out = (into as Float32Array | undefined) ?? new Float32Array(count);
  out.set(values);
  return out as KvDtypeArrays[D];
}

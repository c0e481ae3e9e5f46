import type { DType } from './BtTensor';

/**
 * numpy's `dtype.str` for each dtype on a little-endian machine: what msgpack_numpy writes
 * under `type`. One-byte types carry `|` (byte order does not apply).
 */
export const NUMPY_TYPE_STRINGS: Readonly<Record<DType, string>> = {
  float16: '<f2',
  float32: '<f4',
  float64: '<f8',
  int8: '|i1',
  int16: '<i2',
  int32: '<i4',
  int64: '<i8',
  uint8: '|u1',
  bool: '|b1',
};

const BY_TYPE_STRING = new Map<string, DType>(
  Object.entries(NUMPY_TYPE_STRINGS).map(([dtype, text]) => [text, dtype as DType]),
);

export function dtypeOfNumpyType(text: string): DType | undefined {
  return BY_TYPE_STRING.get(text);
}

/** `TensorProto.DataType` values (the element types a tensor can hold). */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
} as const;

export type DataTypeName = keyof typeof DataType;
export type DataTypeCode = (typeof DataType)[DataTypeName];

/** Bytes per element for the fixed-width types; strings have no fixed width. */
const BYTE_WIDTH: Readonly<Record<number, number>> = {
  [DataType.FLOAT]: 4,
  [DataType.UINT8]: 1,
  [DataType.INT8]: 1,
  [DataType.UINT16]: 2,
  [DataType.INT16]: 2,
  [DataType.INT32]: 4,
  [DataType.INT64]: 8,
  [DataType.BOOL]: 1,
  [DataType.FLOAT16]: 2,
  [DataType.DOUBLE]: 8,
  [DataType.UINT32]: 4,
  [DataType.UINT64]: 8,
  [DataType.COMPLEX64]: 8,
  [DataType.COMPLEX128]: 16,
  [DataType.BFLOAT16]: 2,
};

/** The element width in bytes, or undefined for strings and unknown codes. */
export function byteWidth(dataType: number): number | undefined {
  return BYTE_WIDTH[dataType];
}

/** The symbolic name of a data type code, e.g. `FLOAT` for 1 (for error messages). */
export function dataTypeName(dataType: number): string {
  const entry = Object.entries(DataType).find(([, code]) => code === dataType);
  return entry ? entry[0] : `unknown(${dataType})`;
}

import { z } from 'zod';

/**
 * Element types bittensor's `Tensor` accepts. Python accepts both the numpy spelling
 * (`float16`) and, when torch is installed, the torch one (`torch.float16`); we always
 * emit the numpy spelling because every Python peer understands it.
 */
export const DTYPES = {
  float16: { bytes: 2 },
  float32: { bytes: 4 },
  float64: { bytes: 8 },
  int8: { bytes: 1 },
  int16: { bytes: 2 },
  int32: { bytes: 4 },
  int64: { bytes: 8 },
  uint8: { bytes: 1 },
  bool: { bytes: 1 },
} as const;

export type DType = keyof typeof DTYPES;

const DTYPE_NAMES = Object.keys(DTYPES) as [DType, ...DType[]];

/** Parses `float16` or `torch.float16` into the canonical numpy spelling. */
export const DTypeSchema = z
  .string()
  .transform((raw) => (raw.startsWith('torch.') ? raw.slice('torch.'.length) : raw))
  .pipe(z.enum(DTYPE_NAMES));

/** bittensor's `Tensor` on the wire: base64 msgpack-numpy bytes plus declared dtype and shape. */
export const BtTensorSchema = z.object({
  buffer: z.string(),
  dtype: DTypeSchema,
  shape: z.array(z.number().int().nonnegative()),
});

export type BtTensor = z.infer<typeof BtTensorSchema>;

/** Number of elements a shape declares; bittensor writes a scalar's shape as `[0]`. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Raw data bytes a declared dtype and shape occupy, before msgpack and base64 framing. */
export function declaredByteLength(dtype: DType, shape: readonly number[]): number {
  return elementCount(shape) * DTYPES[dtype].bytes;
}

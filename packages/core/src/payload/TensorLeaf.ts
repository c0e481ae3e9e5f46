import { z } from 'zod';
import { type DType, DTypeSchema } from '../tensor/BtTensor';

/**
 * What every form of a payload tensor declares: its element type and C-order shape. The
 * JSON wire form adds a base64 `buffer` (`BtTensor`), a binary frame's header adds where the
 * raw bytes sit (`TensorRef`), and the in-memory form holds them (`RawTensor`).
 */
export interface TensorLeaf {
  readonly dtype: DType;
  readonly shape: readonly number[];
}

/** A tensor held as raw little-endian C-order bytes: what condensers produce and frames carry. */
export const RawTensorSchema = z.object({
  dtype: DTypeSchema,
  shape: z.array(z.number().int().nonnegative()),
  data: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'must be a Uint8Array'),
});

export type RawTensor = z.infer<typeof RawTensorSchema>;

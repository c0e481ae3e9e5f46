import { z } from 'zod';
import { payloadSchemas } from '../../payload/CondensedPayload';
import { DTypeSchema } from '../../tensor/BtTensor';

/** Where a tensor's bytes sit in a frame's data section, and their digest. */
export const TensorRefSchema = z.object({
  dtype: DTypeSchema,
  shape: z.array(z.number().int().nonnegative()),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
});

export type TensorRef = z.infer<typeof TensorRefSchema>;

const framed = payloadSchemas(TensorRefSchema);
export const FramedPayloadSchema = framed.condensed;
export type FramedPayload = z.infer<typeof FramedPayloadSchema>;

export const FrameHeaderSchema = z.strictObject({
  payload: z.unknown(),
  /** Bytes of tensor data after the header. */
  data_bytes: z.number().int().nonnegative(),
});

export interface FrameHeader {
  readonly payload: FramedPayload;
  readonly data_bytes: number;
}

import { z } from 'zod';

/** The safetensors dtypes an adapter may use; every one decodes to float32. */
export const SafetensorsDTypeSchema = z.enum(['F32', 'F16', 'BF16']);
export type SafetensorsDType = z.infer<typeof SafetensorsDTypeSchema>;

export const DTYPE_BYTES: Readonly<Record<SafetensorsDType, number>> = {
  F32: 4,
  F16: 2,
  BF16: 2,
};

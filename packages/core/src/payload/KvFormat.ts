import { z } from 'zod';
import type { QuantizationScheme } from '../quantization/QuantizationScheme';
import { type AnyKvPayload, isQuantized } from './CondensedPayload';

/**
 * How a KV cache's halves travel: as float32 or float16 tensors, or quantized to 8 or 4
 * bits per element with float16 scales and zero points (see `quantizedTensorSchema`).
 */
export const KV_FORMATS = ['fp32', 'fp16', 'int8', 'int4'] as const;
export const KvFormatSchema = z.enum(KV_FORMATS);
export type KvFormat = z.infer<typeof KvFormatSchema>;

/** KIVI's layout: keys are quantized per channel, in groups along the token axis. */
export const KEY_QUANTIZATION_AXIS = 2;
/** KIVI's layout: values are quantized per token, in groups along the channel axis. */
export const VALUE_QUANTIZATION_AXIS = 3;
/** int4's group size along either axis unless configured. */
export const DEFAULT_INT4_GROUP_SIZE = 32;

export interface KvFormatOptions {
  readonly format: KvFormat;
  /**
   * Elements per group for int8/int4, along the token axis for keys and the channel axis
   * for values. Default: int4 32; int8 the whole axis (one scale per channel of a head for
   * keys, one per token of a head for values).
   */
  readonly groupSize?: number | undefined;
}

export function quantizationSchemeOf(format: KvFormat): QuantizationScheme | undefined {
  return format === 'int8' || format === 'int4' ? format : undefined;
}

/** The format a (validated) KV payload travels in, read from its first half. */
export function kvFormatOf(payload: AnyKvPayload): KvFormat {
  const first = payload.layers[0]!.key;
  if (isQuantized(first)) return first.quantization;
  return first.dtype === 'float32' ? 'fp32' : 'fp16';
}

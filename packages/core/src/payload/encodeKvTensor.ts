import { quantizeGroups } from '../quantization/quantizeGroups';
import type { EncodedKvTensor } from './CondensedPayload';
import { encodeFloatTensor } from './encodeFloatTensor';
import {
  DEFAULT_INT4_GROUP_SIZE,
  KEY_QUANTIZATION_AXIS,
  type KvFormatOptions,
  quantizationSchemeOf,
  VALUE_QUANTIZATION_AXIS,
} from './KvFormat';
import { PayloadError } from './PayloadError';

const bytesOf = (view: ArrayBufferView): Uint8Array =>
  new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

/**
 * One KV half `[1, kv_heads, kept, head_dim]` of float32 values in the format asked for:
 * float32 as is, float16 rounded half to even, or int8/int4 codes with float16 scales and
 * zero points in KIVI's layout (keys per channel, values per token). Values must be finite;
 * `where` names the half in errors (`layers[3].key`).
 */
export function encodeKvTensor(
  values: Float32Array,
  shape: readonly number[],
  half: 'key' | 'value',
  options: KvFormatOptions,
  where: string,
): EncodedKvTensor {
  if (options.format === 'fp32' || options.format === 'fp16') {
    return encodeFloatTensor(
      values,
      shape,
      options.format === 'fp32' ? 'float32' : 'float16',
      where,
    );
  }
  const scheme = quantizationSchemeOf(options.format)!;
  const axis = half === 'key' ? KEY_QUANTIZATION_AXIS : VALUE_QUANTIZATION_AXIS;
  const groupSize =
    options.groupSize ?? (scheme === 'int4' ? DEFAULT_INT4_GROUP_SIZE : (shape[axis] as number));
  let groups: ReturnType<typeof quantizeGroups>;
  try {
    groups = quantizeGroups({ values, shape, axis, groupSize, scheme });
  } catch (cause) {
    throw new PayloadError(
      'PAYLOAD_UNDECODABLE',
      where,
      cause instanceof Error ? cause.message : String(cause),
      { cause },
    );
  }
  const groupShape = [...groups.layout.groupShape];
  return {
    quantization: scheme,
    shape: [...shape],
    axis,
    group_size: groupSize,
    codes: { dtype: 'uint8', shape: [groups.codes.length], data: groups.codes },
    scale: { dtype: 'float16', shape: groupShape, data: bytesOf(groups.scale) },
    zero: { dtype: 'float16', shape: groupShape, data: bytesOf(groups.zero) },
  };
}

import { LoraError } from '../errors/LoraError';
import { float32ToBfloat16Bits, float32ToFloat16Bits } from './halfFloat';
import { DTYPE_BYTES } from './SafetensorsDType';
import type { TensorToWrite } from './SafetensorsFile';

/**
 * Serialises tensors to the safetensors layout. The header is padded with spaces to a
 * multiple of 8 bytes, as the reference writer does, so the data region stays aligned.
 */
export function writeSafetensors(
  tensors: readonly TensorToWrite[],
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const tensor of tensors) {
    const count = tensor.shape.reduce((a, b) => a * b, 1);
    if (count !== tensor.data.length) {
      throw new LoraError(
        'LORA_SHAPE_MISMATCH',
        `Tensor "${tensor.name}" has ${tensor.data.length} values but shape ${JSON.stringify(tensor.shape)}`,
      );
    }
    const size = count * DTYPE_BYTES[tensor.dtype];
    header[tensor.name] = {
      dtype: tensor.dtype,
      shape: tensor.shape,
      data_offsets: [offset, offset + size],
    };
    offset += size;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  while (encoder.encode(json).byteLength % 8 !== 0) json += ' ';
  const headerBytes = encoder.encode(json);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let cursor = 8 + headerBytes.byteLength;
  for (const tensor of tensors) {
    const { data } = tensor;
    if (tensor.dtype === 'F32') {
      for (let i = 0; i < data.length; i++) view.setFloat32(cursor + i * 4, data[i]!, true);
      cursor += data.length * 4;
    } else {
      const encode = tensor.dtype === 'F16' ? float32ToFloat16Bits : float32ToBfloat16Bits;
      for (let i = 0; i < data.length; i++) view.setUint16(cursor + i * 2, encode(data[i]!), true);
      cursor += data.length * 2;
    }
  }
  return out;
}

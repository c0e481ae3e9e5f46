import { endianness } from 'node:os';
import { z } from 'zod';
import { LoraError } from '../errors/LoraError';
import { bfloat16BitsToFloat32, float16BitsToFloat32 } from './halfFloat';
import { DTYPE_BYTES, type SafetensorsDType, SafetensorsDTypeSchema } from './SafetensorsDType';
import type { DecodedTensor, SafetensorsFile } from './SafetensorsFile';

const LITTLE_ENDIAN = endianness() === 'LE';

/** Headers past this size are refused before parsing: no real adapter comes close. */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

const TensorEntrySchema = z.object({
  dtype: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  data_offsets: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
});

const MetadataSchema = z.record(z.string(), z.string());

function corrupt(source: string, what: string, tensor?: string): LoraError {
  return new LoraError(
    'LORA_SAFETENSORS_INVALID',
    tensor === undefined
      ? `Invalid safetensors file ${source}: ${what}`
      : `Invalid safetensors file ${source}: tensor "${tensor}" ${what}`,
  );
}

function decode(dtype: SafetensorsDType, bytes: Uint8Array, count: number): Float32Array {
  if (dtype === 'F32' && LITTLE_ENDIAN) {
    // A byte copy into a fresh float32 buffer: aligned whatever the source offset, and fast.
    const out = new Float32Array(count);
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  if (dtype === 'F32') {
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  } else if (dtype === 'F16') {
    for (let i = 0; i < count; i++) out[i] = float16BitsToFloat32(view.getUint16(i * 2, true));
  } else {
    for (let i = 0; i < count; i++) out[i] = bfloat16BitsToFloat32(view.getUint16(i * 2, true));
  }
  return out;
}

/**
 * Parses a safetensors buffer: an 8-byte little-endian header length, a JSON header,
 * then the tensor bytes. Every offset is checked against the shape and the buffer, and
 * the tensors must tile the data region exactly (as the format requires), so a truncated
 * or tampered file is refused with the name of the first tensor that does not fit.
 */
export function readSafetensors(buffer: Uint8Array, source = '<buffer>'): SafetensorsFile {
  if (buffer.byteLength < 8) throw corrupt(source, `${buffer.byteLength} bytes is too short`);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(MAX_HEADER_BYTES, buffer.byteLength - 8))) {
    throw corrupt(source, `header length ${headerLength} exceeds the file`);
  }
  const headerEnd = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(8, headerEnd)),
    );
  } catch (cause) {
    throw new LoraError(
      'LORA_SAFETENSORS_INVALID',
      `Invalid safetensors file ${source}: header is not JSON`,
      {
        cause,
      },
    );
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw corrupt(source, 'header is not a JSON object');
  }
  const data = buffer.subarray(headerEnd);
  const tensors = new Map<string, DecodedTensor>();
  const spans: Array<{ name: string; begin: number; end: number }> = [];
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      const parsed = MetadataSchema.safeParse(raw);
      if (!parsed.success) throw corrupt(source, '__metadata__ must map strings to strings');
      metadata = parsed.data;
      continue;
    }
    const entry = TensorEntrySchema.safeParse(raw);
    if (!entry.success) {
      throw corrupt(
        source,
        `has a malformed header entry (${entry.error.issues[0]?.message})`,
        name,
      );
    }
    const dtype = SafetensorsDTypeSchema.safeParse(entry.data.dtype);
    if (!dtype.success) {
      throw new LoraError(
        'LORA_UNSUPPORTED',
        `Unsupported dtype ${entry.data.dtype} for tensor "${name}" in ${source}`,
        { details: 'Adapters must be stored as F32, F16 or BF16.' },
      );
    }
    const [begin, end] = entry.data.data_offsets;
    const count = entry.data.shape.reduce((a, b) => a * b, 1);
    const expected = count * DTYPE_BYTES[dtype.data];
    if (end < begin || end - begin !== expected) {
      throw corrupt(
        source,
        `spans ${end - begin} bytes but shape ${JSON.stringify(entry.data.shape)} needs ${expected}`,
        name,
      );
    }
    if (end > data.byteLength) {
      throw corrupt(
        source,
        `ends at byte ${end} but only ${data.byteLength} data bytes exist (truncated?)`,
        name,
      );
    }
    spans.push({ name, begin, end });
    tensors.set(name, {
      dtype: dtype.data,
      shape: entry.data.shape,
      data: decode(dtype.data, data.subarray(begin, end), count),
    });
  }
  spans.sort((a, b) => a.begin - b.begin);
  let cursor = 0;
  for (const span of spans) {
    if (span.begin !== cursor) {
      throw corrupt(
        source,
        `starts at byte ${span.begin}, expected ${cursor} (overlap or gap)`,
        span.name,
      );
    }
    cursor = span.end;
  }
  if (cursor !== data.byteLength) {
    throw corrupt(source, `has ${data.byteLength - cursor} trailing bytes after the last tensor`);
  }
  return { tensors, metadata };
}

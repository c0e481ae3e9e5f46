import { createHash } from 'node:crypto';
import type { EncodedKvPayload } from '../../../src/payload/CondensedPayload';
import { encodeKvTensor } from '../../../src/payload/encodeKvTensor';
import type { KvFormat } from '../../../src/payload/KvFormat';
import type { FrameHeader } from '../../../src/wire/binary/FrameHeader';
import { FRAME_MAGIC } from '../../../src/wire/binary/frameFormat';
import { framePayload } from '../../../src/wire/binary/framePayload';

export const GEOMETRY = { layers: 3, kvHeads: 2, headDim: 8 } as const;

/** Seeded values with a few outliers, like real keys and values. */
export function kvValues(count: number, seed: number): Float32Array {
  let state = seed * 2654435761 || 1;
  return Float32Array.from({ length: count }, (_, i) => {
    state = (state ^ (state << 13)) >>> 0;
    state = (state ^ (state >>> 17)) >>> 0;
    state = (state ^ (state << 5)) >>> 0;
    const u = state / 2 ** 32 - 0.5;
    return i % 37 === 0 ? u * 20 : u * 2;
  });
}

export function encodedKv(format: KvFormat, kept = 6, groupSize?: number): EncodedKvPayload {
  const shape = [1, GEOMETRY.kvHeads, kept, GEOMETRY.headDim];
  const count = shape.reduce((n, d) => n * d, 1);
  return {
    format: 'kv',
    model: 'local/tiny-llama',
    adapter: null,
    original_tokens: kept * 4,
    condensed_tokens: kept,
    original_length: kept * 4,
    kept,
    layers: Array.from({ length: GEOMETRY.layers }, (_, l) => ({
      key: encodeKvTensor(
        kvValues(count, 2 * l + 1),
        shape,
        'key',
        { format, groupSize },
        `layers[${l}].key`,
      ),
      value: encodeKvTensor(
        kvValues(count, 2 * l + 2),
        shape,
        'value',
        { format, groupSize },
        `layers[${l}].value`,
      ),
    })),
  };
}

export async function frameBytes(payload: EncodedKvPayload): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of framePayload(payload).chunks()) parts.push(chunk);
  return Buffer.concat(parts);
}

/** A frame with a hand-made header over `data`, for headers that lie. */
export function rawFrame(header: FrameHeader | Record<string, unknown>, data: Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.set(FRAME_MAGIC, 0);
  prefix.writeUInt32LE(json.length, 4);
  return Buffer.concat([prefix, json, data]);
}

/** The header and data of a real frame, to edit. */
export async function splitFrame(payload: EncodedKvPayload) {
  const bytes = await frameBytes(payload);
  const length = bytes.readUInt32LE(4);
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')) as FrameHeader & {
    payload: { layers: Array<Record<'key' | 'value', Record<string, Record<string, unknown>>>> };
  };
  return { header, data: Buffer.from(bytes.subarray(8 + length)) };
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Hands `bytes` out in pieces of `size`, counting what the reader pulled. */
export function chunked(bytes: Uint8Array, size: number, pulled = { bytes: 0 }) {
  return {
    pulled,
    async *[Symbol.asyncIterator]() {
      for (let at = 0; at < bytes.length; at += size) {
        const piece = bytes.subarray(at, Math.min(bytes.length, at + size));
        pulled.bytes += piece.length;
        yield piece;
      }
    },
  };
}

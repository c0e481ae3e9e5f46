import type {
  CondensedPayload,
  KvPayload,
  QuantizedTensor,
} from '../../src/payload/CondensedPayload';
import { encodeKvTensor } from '../../src/payload/encodeKvTensor';
import { toWirePayload } from '../../src/payload/toWirePayload';
import { DTYPES, type DType, elementCount } from '../../src/tensor/BtTensor';

const NUMPY_TYPE: Record<DType, string> = {
  float16: '<f2',
  float32: '<f4',
  float64: '<f8',
  int8: '|i1',
  int16: '<i2',
  int32: '<i4',
  int64: '<i8',
  uint8: '|u1',
  bool: '|b1',
};

function bin(bytes: Uint8Array): number[] {
  if (bytes.length < 0x100) return [0xc4, bytes.length, ...bytes];
  if (bytes.length < 0x10000) return [0xc5, bytes.length >> 8, bytes.length & 0xff, ...bytes];
  return [
    0xc6,
    (bytes.length >>> 24) & 0xff,
    (bytes.length >>> 16) & 0xff,
    (bytes.length >>> 8) & 0xff,
    bytes.length & 0xff,
    ...bytes,
  ];
}

function uint(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0xcc, n];
  if (n < 0x10000) return [0xcd, n >> 8, n & 0xff];
  return [0xce, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

const ascii = (text: string) => new TextEncoder().encode(text);

/** msgpack-numpy bytes as Python's `msgpack.packb(array, default=msgpack_numpy.encode)` writes them. */
export function msgpackNumpy(dtype: DType, shape: readonly number[]): Uint8Array {
  const data = new Uint8Array(elementCount(shape) * DTYPES[dtype].bytes);
  const type = ascii(NUMPY_TYPE[dtype]);
  return Uint8Array.from([
    0x85,
    ...bin(ascii('nd')),
    0xc3,
    ...bin(ascii('type')),
    0xa0 | type.length,
    ...type,
    ...bin(ascii('kind')),
    ...bin(new Uint8Array()),
    ...bin(ascii('shape')),
    0x90 | shape.length,
    ...shape.flatMap(uint),
    ...bin(ascii('data')),
    ...bin(data),
  ]);
}

export function tensor(dtype: DType, shape: number[]) {
  return { buffer: Buffer.from(msgpackNumpy(dtype, shape)).toString('base64'), dtype, shape };
}

export const GEOMETRY = { layers: 2, kvHeads: 2, headDim: 4, hidden: 8 } as const;

/** A well-formed 2-layer KV payload keeping `kept` of `original` tokens. */
export function kvPayload(kept = 4, original = 16, dtype: DType = 'float16') {
  const layer = () => ({
    key: tensor(dtype, [1, GEOMETRY.kvHeads, kept, GEOMETRY.headDim]),
    value: tensor(dtype, [1, GEOMETRY.kvHeads, kept, GEOMETRY.headDim]),
  });
  return {
    format: 'kv' as const,
    model: 'local/tiny-llama',
    adapter: null,
    original_tokens: original,
    condensed_tokens: kept,
    original_length: original,
    kept,
    layers: [layer(), layer()],
  } satisfies CondensedPayload;
}

export function softPayload(n = 4, original = 16) {
  return {
    format: 'soft' as const,
    model: 'local/tiny-llama',
    original_tokens: original,
    condensed_tokens: n,
    embeddings: tensor('float32', [n, GEOMETRY.hidden]),
  } satisfies CondensedPayload;
}

export function textPayload(text = 'short summary', condensed = 3, original = 16) {
  return {
    format: 'text' as const,
    model: 'local/tiny-llama',
    original_tokens: original,
    condensed_tokens: condensed,
    text,
  } satisfies CondensedPayload;
}

/** A well-formed 2-layer KV payload quantized to `scheme` (KIVI layout), built by the real encoder. */
export function quantizedKvPayload(
  scheme: 'int8' | 'int4',
  kept = 4,
  original = 16,
  groupSize?: number,
) {
  const shape = [1, GEOMETRY.kvHeads, kept, GEOMETRY.headDim];
  const count = elementCount(shape);
  const half = (layer: number, which: 'key' | 'value') =>
    encodeKvTensor(
      Float32Array.from(
        { length: count },
        (_, i) => Math.sin(i * 0.7 + layer) * (which === 'key' ? 3 : 1),
      ),
      shape,
      which,
      { format: scheme, groupSize },
      `layers[${layer}].${which}`,
    );
  return toWirePayload({
    format: 'kv',
    model: 'local/tiny-llama',
    adapter: null,
    original_tokens: original,
    condensed_tokens: kept,
    original_length: original,
    kept,
    layers: [0, 1].map((layer) => ({ key: half(layer, 'key'), value: half(layer, 'value') })),
  }) as KvPayload & { layers: { key: QuantizedTensor; value: QuantizedTensor }[] };
}

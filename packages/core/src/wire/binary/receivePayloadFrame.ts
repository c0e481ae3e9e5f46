import { createHash } from 'node:crypto';
import type { EncodedKvTensor, SoftPayload, TextPayload } from '../../payload/CondensedPayload';
import { isQuantized } from '../../payload/CondensedPayload';
import type { DecodedKv, KvDtype, KvDtypeArrays } from '../../payload/DecodedKv';
import { decodedKv } from '../../payload/decodeKvPayload';
import { checkedGroupParameters, decodeKvTensor } from '../../payload/decodeKvTensor';
import { fieldPath } from '../../payload/fieldPath';
import { kvTensorSlabs } from '../../payload/kvTensorSlabs';
import { PayloadError } from '../../payload/PayloadError';
import type { RawTensor } from '../../payload/TensorLeaf';
import { widenHalves } from '../../tensor/codecFloat16';
import { ByteReader } from './ByteReader';
import { FrameError } from './FrameError';
import type { FramedPayload, TensorRef } from './FrameHeader';
import { type ReadFrameHeaderOptions, readFrameHeader } from './readFrameHeader';

export interface ReceivePayloadFrameOptions<D extends KvDtype> extends ReadFrameHeaderOptions {
  /** The dtype the target runtime holds its KV cache in. */
  readonly kvDtype: D;
  /**
   * Takes the decoded KV cache slab by slab as it arrives, instead of collecting it: for a
   * consumer that uploads or stores as it goes, in constant memory. A slab is a run of
   * consecutive elements of one half (`offset` counts elements into the half, in C order),
   * of at most `slabElements` elements; slabs come in order, layer by layer, key then
   * value, each half's only after all its bytes matched their sha256 and its scales checked
   * out. `data` is the receiver's and is overwritten by the next slab, so the sink copies or
   * uploads it before it returns (or its promise resolves). A later slab can still fail:
   * the sink holds what it got as uncommitted until `receivePayloadFrame` resolves (and
   * drops it if it rejects).
   */
  readonly sink?: ((slab: KvSlab<D>) => void | Promise<void>) | undefined;
  /** The most elements a slab handed to `sink` holds (`DEFAULT_SLAB_ELEMENTS` by default). */
  readonly slabElements?: number | undefined;
}

/** A decoded run of one KV half's elements, handed to a `sink`. */
export interface KvSlab<D extends KvDtype = KvDtype> {
  readonly layer: number;
  readonly half: 'key' | 'value';
  /** Where `data` starts in the half, in elements (C order). */
  readonly offset: number;
  readonly data: KvDtypeArrays[D];
}

/**
 * Elements a sink's slab holds at most by default: 2 MiB of float16, 4 MiB of float32 (one
 * head of a 7B-shaped cache of 8 192 tokens).
 */
export const DEFAULT_SLAB_ELEMENTS = 1 << 20;

/** What a frame carried, decoded for its receiver. */
export type ReceivedPayload<D extends KvDtype = KvDtype> =
  | { readonly format: 'kv'; readonly kv: DecodedKv<D> }
  | {
      readonly format: 'soft';
      readonly payload: Omit<SoftPayload, 'embeddings'>;
      readonly embeddings: { readonly data: Float32Array; readonly shape: readonly number[] };
    }
  | { readonly format: 'text'; readonly payload: TextPayload };

type Halves<D extends KvDtype> = { key?: KvDtypeArrays[D]; value?: KvDtypeArrays[D] };

/**
 * Reads a binary payload frame as it streams: the header is vetted against the limits
 * before any tensor is read (`readFrameHeader`), then each tensor's bytes are copied once
 * into a buffer of exactly their declared size while hashed, checked against their sha256,
 * and each KV layer is decoded into `kvDtype` as soon as its tensors are in, then its raw
 * bytes dropped. Memory stays at one KV half of raw bytes plus the decoded output (one
 * slab with a `sink`). Any fault
 * (truncation, a digest that does not match, trailing bytes, a NaN scale) throws a
 * `FrameError` or `PayloadError` naming the tensor and field; the result is only returned
 * whole. The stream is cancelled on failure.
 */
export async function receivePayloadFrame<D extends KvDtype>(
  body: AsyncIterable<Uint8Array>,
  options: ReceivePayloadFrameOptions<D>,
): Promise<ReceivedPayload<D>> {
  const reader = new ByteReader(body);
  try {
    const received = await receive(reader, options);
    if (await reader.hasMore()) {
      throw new FrameError('FRAME_TRAILING_BYTES', 'frame', 'bytes follow the last tensor');
    }
    return received;
  } finally {
    await reader.cancel();
  }
}

async function receive<D extends KvDtype>(
  reader: ByteReader,
  options: ReceivePayloadFrameOptions<D>,
): Promise<ReceivedPayload<D>> {
  const root = options.path ?? 'condensed';
  const { payload, leaves } = await readFrameHeader(reader, options);
  // Raw bytes are dropped once their layer is decoded: buffers of a size already seen are reused.
  const pool = new Map<number, Uint8Array[]>();
  const inUse: Uint8Array[] = [];
  const read = async (ref: TensorRef, at: ReadonlyArray<PropertyKey>): Promise<RawTensor> => {
    const path = fieldPath(root, at);
    const data = pool.get(ref.length)?.pop() ?? new Uint8Array(ref.length);
    inUse.push(data);
    const hash = createHash('sha256');
    const got = await reader.fill(data, (piece) => hash.update(piece));
    if (got < ref.length) {
      throw new FrameError(
        'FRAME_TRUNCATED',
        path,
        `the stream ended after ${got} of this tensor's ${ref.length} bytes`,
      );
    }
    const digest = hash.digest('hex');
    if (digest !== ref.sha256) {
      throw new FrameError(
        'FRAME_SHA256',
        `${path}.sha256`,
        `the bytes hash to ${digest}, the header says ${ref.sha256}`,
      );
    }
    return { dtype: ref.dtype, shape: ref.shape, data };
  };

  if (payload.format === 'text') return { format: 'text', payload };
  if (payload.format === 'soft') {
    const { embeddings, ...meta } = payload;
    const raw = await read(embeddings, ['embeddings']);
    return {
      format: 'soft',
      payload: meta,
      embeddings: { data: floatValues(raw, fieldPath(root, ['embeddings'])), shape: raw.shape },
    };
  }

  const layers: { key: KvDtypeArrays[D]; value: KvDtypeArrays[D] }[] = [];
  const raws = new Map<string, RawTensor>();
  let halves: Halves<D> = {};
  const kv = payload as Extract<FramedPayload, { format: 'kv' }>;
  const slabs =
    options.sink && slabSink(options.sink, options.kvDtype, largestHalf(kv), options.slabElements);
  for (const { at, leaf, layer } of leaves) {
    raws.set(String(at.slice(2).join('.')), await read(leaf, at));
    const half = at[2] as 'key' | 'value';
    const tensor = kv.layers[layer!]![half];
    const complete = isQuantized(tensor) ? raws.has(`${half}.zero`) : raws.has(half);
    if (!complete) continue;
    const where = fieldPath(root, ['layers', layer!, half]);
    const encoded: EncodedKvTensor = isQuantized(tensor)
      ? {
          ...tensor,
          codes: raws.get(`${half}.codes`)!,
          scale: raws.get(`${half}.scale`)!,
          zero: raws.get(`${half}.zero`)!,
        }
      : raws.get(half)!;
    if (slabs) await slabs(layer!, half, encoded, where);
    else halves[half] = decodeKvTensor(encoded, options.kvDtype, where);
    raws.clear();
    for (const data of inUse.splice(0)) {
      const free = pool.get(data.length) ?? [];
      free.push(data);
      pool.set(data.length, free);
    }
    if (halves.key === undefined || halves.value === undefined) continue;
    layers.push({ key: halves.key, value: halves.value });
    halves = {};
  }
  return {
    format: 'kv',
    kv: decodedKv(payload as Extract<FramedPayload, { format: 'kv' }>, options.kvDtype, layers),
  };
}

/** Elements of the payload's largest KV half. */
function largestHalf(payload: Extract<FramedPayload, { format: 'kv' }>): number {
  const count = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);
  return Math.max(0, ...payload.layers.flatMap((l) => [count(l.key.shape), count(l.value.shape)]));
}

/**
 * Decodes verified halves slab by slab into one reused buffer of `slabElements` (or the
 * largest half, when smaller; it grows only for a slab that one group makes larger) and
 * hands each slab to `sink`. A quantized half's scales are checked whole first, so a bad
 * scale is refused before any of the half is handed over.
 */
function slabSink<D extends KvDtype>(
  sink: (slab: KvSlab<D>) => void | Promise<void>,
  dtype: D,
  largest: number,
  slabElements = DEFAULT_SLAB_ELEMENTS,
) {
  if (!Number.isSafeInteger(slabElements) || slabElements < 1) {
    throw new RangeError(`slabElements must be a positive integer, got ${slabElements}.`);
  }
  const Output = (dtype === 'float16' ? Uint16Array : Float32Array) as unknown as new (
    n: number,
  ) => KvDtypeArrays[D];
  let buffer: KvDtypeArrays[D] | undefined;
  return async (layer: number, half: 'key' | 'value', encoded: EncodedKvTensor, where: string) => {
    if (isQuantized(encoded)) checkedGroupParameters(encoded, where);
    for (const { offset, count, tensor } of kvTensorSlabs(encoded, slabElements)) {
      if (buffer === undefined || buffer.length < count) {
        buffer = new Output(Math.max(count, Math.min(slabElements, largest)));
      }
      const data = decodeKvTensor(
        tensor,
        dtype,
        where,
        buffer.subarray(0, count) as KvDtypeArrays[D],
      );
      await sink({ layer, half, offset, data });
    }
  };
}

/** Soft-token embeddings as float32, finite. */
function floatValues(raw: RawTensor, path: string): Float32Array {
  let values: Float32Array;
  if (raw.dtype === 'float16') {
    const widened = widenHalves(new Uint16Array(raw.data.buffer, 0, raw.data.byteLength / 2));
    values = widened.values;
  } else values = new Float32Array(raw.data.buffer, 0, raw.data.byteLength / 4);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new PayloadError('PAYLOAD_UNDECODABLE', path, `element ${bad} is ${values[bad]}`);
  return values;
}

import { createHash } from 'node:crypto';
import type { SoftPayload, TextPayload } from '../../payload/CondensedPayload';
import { isQuantized } from '../../payload/CondensedPayload';
import type { DecodedKv, KvDtype, KvDtypeArrays } from '../../payload/DecodedKv';
import { decodedKv } from '../../payload/decodeKvPayload';
import { decodeKvTensor } from '../../payload/decodeKvTensor';
import { fieldPath } from '../../payload/fieldPath';
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
   * Takes each decoded KV layer as soon as it is in, instead of collecting them: for a
   * consumer that uploads or stores layer by layer, in constant memory. Layers arrive in
   * order, each only after its bytes matched their sha256 and its scales checked out; the
   * two arrays are the receiver's and are overwritten by the next layer, so the sink copies
   * or uploads them before it returns (or its promise resolves). A later layer can still
   * fail: the sink holds what it got as uncommitted until the returned promise resolves
   * (and drops it if it rejects).
   */
  readonly sink?:
    | ((index: number, key: KvDtypeArrays[D], value: KvDtypeArrays[D]) => void | Promise<void>)
    | undefined;
}

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
 * bytes dropped. Memory stays at one layer of raw bytes plus the decoded output. Any fault
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
  // With a sink, every layer decodes into the same two arrays.
  const outputs: Halves<D> = {};
  for (const { at, leaf, layer } of leaves) {
    raws.set(String(at.slice(2).join('.')), await read(leaf, at));
    const half = at[2] as 'key' | 'value';
    const tensor = (payload as Extract<FramedPayload, { format: 'kv' }>).layers[layer!]![half];
    const complete = isQuantized(tensor) ? raws.has(`${half}.zero`) : raws.has(half);
    if (!complete) continue;
    const where = fieldPath(root, ['layers', layer!, half]);
    const encoded = isQuantized(tensor)
      ? {
          ...tensor,
          codes: raws.get(`${half}.codes`)!,
          scale: raws.get(`${half}.scale`)!,
          zero: raws.get(`${half}.zero`)!,
        }
      : raws.get(half)!;
    const scratch = options.sink ? outputs[half] : undefined;
    halves[half] = decodeKvTensor(encoded, options.kvDtype, where, scratch);
    if (options.sink) outputs[half] ??= halves[half];
    raws.clear();
    for (const data of inUse.splice(0)) {
      const free = pool.get(data.length) ?? [];
      free.push(data);
      pool.set(data.length, free);
    }
    if (halves.key === undefined || halves.value === undefined) continue;
    if (options.sink) await options.sink(layer!, halves.key, halves.value);
    else layers.push({ key: halves.key, value: halves.value });
    halves = {};
  }
  return {
    format: 'kv',
    kv: decodedKv(payload as Extract<FramedPayload, { format: 'kv' }>, options.kvDtype, layers),
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

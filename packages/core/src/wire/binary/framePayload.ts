import { createHash } from 'node:crypto';
import {
  type EncodedKvTensor,
  type EncodedPayload,
  isQuantized,
} from '../../payload/CondensedPayload';
import type { RawTensor } from '../../payload/TensorLeaf';
import type { FramedPayload, FrameHeader, TensorRef } from './FrameHeader';
import { FRAME_CONTENT_TYPE, FRAME_MAGIC, FRAME_PREFIX_BYTES } from './frameFormat';

/** An encoded payload laid out as a frame: the body of a binary-route answer. */
export interface PayloadFrame {
  readonly contentType: string;
  readonly header: FrameHeader;
  /** Magic, header length and header: the first bytes of the body. */
  readonly prefix: Uint8Array;
  /** The whole body: prefix plus tensor data. */
  readonly byteLength: number;
  /** The body in order: the prefix, then each tensor's bytes as held (no copies). */
  chunks(): AsyncGenerator<Uint8Array>;
}

/**
 * Frames an encoded payload (see `frameFormat`): one pass over the tensors for their
 * sha256 and offsets, then `chunks()` hands out the prefix and the tensors' own bytes, so
 * sending adds no copy of the payload.
 */
export function framePayload(payload: EncodedPayload): PayloadFrame {
  const data: Uint8Array[] = [];
  let offset = 0;
  const ref = (tensor: RawTensor): TensorRef => {
    const out: TensorRef = {
      dtype: tensor.dtype,
      shape: [...tensor.shape],
      offset,
      length: tensor.data.byteLength,
      sha256: createHash('sha256').update(tensor.data).digest('hex'),
    };
    data.push(tensor.data);
    offset += tensor.data.byteLength;
    return out;
  };
  const half = (tensor: EncodedKvTensor) =>
    isQuantized(tensor)
      ? { ...tensor, codes: ref(tensor.codes), scale: ref(tensor.scale), zero: ref(tensor.zero) }
      : ref(tensor);
  let framed: FramedPayload;
  switch (payload.format) {
    case 'kv':
      framed = {
        ...payload,
        layers: payload.layers.map((layer) => ({ key: half(layer.key), value: half(layer.value) })),
      };
      break;
    case 'soft':
      framed = { ...payload, embeddings: ref(payload.embeddings) };
      break;
    case 'text':
      framed = payload;
      break;
  }
  const header: FrameHeader = { payload: framed, data_bytes: offset };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const prefix = new Uint8Array(FRAME_PREFIX_BYTES + json.byteLength);
  prefix.set(FRAME_MAGIC, 0);
  new DataView(prefix.buffer).setUint32(4, json.byteLength, true);
  prefix.set(json, FRAME_PREFIX_BYTES);
  return {
    contentType: FRAME_CONTENT_TYPE,
    header,
    prefix,
    byteLength: prefix.byteLength + offset,
    async *chunks() {
      yield prefix;
      for (const bytes of data) if (bytes.byteLength > 0) yield bytes;
    },
  };
}

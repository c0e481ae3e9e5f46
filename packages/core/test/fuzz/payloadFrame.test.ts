import fc from 'fast-check';
import {
  applyByteMutations,
  applyJsonMutations,
  asyncFuzzTarget,
  byteMutations,
  jsonMutations,
  position,
} from '../../../../jest/fuzz';
import { isSignalError } from '../../src/errors/SignalError';
import type { EncodedKvTensor, EncodedPayload } from '../../src/payload/CondensedPayload';
import { isQuantized } from '../../src/payload/CondensedPayload';
import type { DecodedKv, KvDtype } from '../../src/payload/DecodedKv';
import { decodeEncodedKv } from '../../src/payload/decodeKvPayload';
import type { PayloadLimits } from '../../src/payload/PayloadLimits';
import type { RawTensor } from '../../src/payload/TensorLeaf';
import { framePayload } from '../../src/wire/binary/framePayload';
import {
  type ReceivedPayload,
  receivePayloadFrame,
} from '../../src/wire/binary/receivePayloadFrame';
import { chunked, encodedKv, GEOMETRY, kvValues } from '../wire/binary/frameFixtures';

/*
 * The binary route's payload frame (magic, u32 header length, JSON header, tensor bytes) as a
 * client or validator receives it from a miner it does not trust: raw bytes mutated anywhere
 * (the header length prefix included), headers that lie about offsets, lengths, shapes and
 * data_bytes, bodies cut short or run long, Content-Length that disagrees, any chunking; and
 * tensors whose bytes (NaN scales, any codes) come with honest digests, decoded both from the
 * frame and in memory by decodeEncodedKv.
 */
const HIDDEN = 16;
const MODEL = 'local/tiny-llama';

function softPayload(): EncodedPayload {
  const values = kvValues(4 * HIDDEN, 99);
  return {
    format: 'soft',
    model: MODEL,
    original_tokens: 16,
    condensed_tokens: 4,
    embeddings: {
      dtype: 'float32',
      shape: [4, HIDDEN],
      data: new Uint8Array(values.buffer),
    },
  };
}

const PAYLOADS: readonly EncodedPayload[] = [
  encodedKv('fp32'),
  encodedKv('fp16'),
  encodedKv('int8'),
  encodedKv('int4'),
  encodedKv('int4', 5, 4),
  softPayload(),
  {
    format: 'text',
    model: MODEL,
    original_tokens: 16,
    condensed_tokens: 3,
    text: 'ships at dawn',
  },
];

async function bytesOf(payload: EncodedPayload): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of framePayload(payload).chunks()) parts.push(chunk);
  return Buffer.concat(parts);
}

let FRAMES: readonly Uint8Array[] = [];
beforeAll(async () => {
  FRAMES = await Promise.all(PAYLOADS.map(bytesOf));
});

/** A receiver that knows the target model, and one that only has the byte ceiling. */
const LIMITS: readonly PayloadLimits[] = [
  {
    maxPayloadBytes: 1 << 20,
    geometry: { ...GEOMETRY, hidden: HIDDEN },
    expectedModel: MODEL,
  },
  { maxPayloadBytes: 1 << 20 },
];

/** Values a lying length field takes: 0, off by one, 2^31, 2^32 − 1. */
const LYING_LENGTHS = [0, 1, 7, 8, 2 ** 16, 2 ** 20, 2 ** 20 + 1, 2 ** 31, 2 ** 32 - 1];

interface FrameCase {
  readonly bytes: Uint8Array;
  readonly chunk: number;
  readonly contentLength: number | undefined;
  readonly kvDtype: KvDtype;
  readonly limits: PayloadLimits;
}

/** Content-Length as sent: absent, honest, or off by some amount (never negative). */
const contentLengthMode = fc.oneof(
  fc.constant('absent' as const),
  fc.constant('exact' as const),
  fc.constantFrom(-8, -1, 1, 64, 2 ** 20, 2 ** 32),
);

function contentLengthOf(mode: 'absent' | 'exact' | number, bytes: Uint8Array): number | undefined {
  if (mode === 'absent') return undefined;
  if (mode === 'exact') return bytes.length;
  return Math.max(0, bytes.length + mode);
}

const common = {
  seed: fc.integer({ min: 0, max: PAYLOADS.length - 1 }),
  chunk: fc.oneof(fc.constantFrom(1, 7, 64), fc.integer({ min: 1, max: 8192 })),
  contentLength: contentLengthMode,
  kvDtype: fc.constantFrom<KvDtype>('float32', 'float16'),
  strict: fc.boolean(),
};

function receive(prepared: FrameCase): Promise<ReceivedPayload> {
  return receivePayloadFrame(chunked(prepared.bytes, prepared.chunk), {
    limits: prepared.limits,
    kvDtype: prepared.kvDtype,
    contentLength: prepared.contentLength,
  });
}

/** A decoded cache: every half holds its shape's element count, every value finite. */
function checkKv(kv: DecodedKv): void {
  const count = kv.kvHeads * kv.kept * kv.headDim;
  expect(kv.layers.length).toBeGreaterThan(0);
  for (const { key, value } of kv.layers) {
    for (const half of [key, value]) {
      expect(half.length).toBe(count);
      if (half instanceof Float32Array) expect(half.every(Number.isFinite)).toBe(true);
      // float16 bits: exponent all ones is NaN or infinity.
      else expect(half.every((bits) => (bits & 0x7c00) !== 0x7c00)).toBe(true);
    }
  }
}

function checkReceived(result: unknown): void {
  const received = result as ReceivedPayload;
  if (received.format === 'kv') checkKv(received.kv);
  else if (received.format === 'soft') {
    const { data, shape } = received.embeddings;
    expect(data.length).toBe(shape.reduce((n, d) => n * d, 1));
    expect(data.every(Number.isFinite)).toBe(true);
  } else expect(received.payload.text.length).toBeGreaterThan(0);
}

/** Edits of the header JSON, framed again with an honest length prefix over the same data. */
function reframe(
  frame: Uint8Array,
  edit: (header: unknown) => unknown,
  data: (bytes: Uint8Array) => Uint8Array,
) {
  const view = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  const length = view.readUInt32LE(4);
  const header = JSON.parse(view.subarray(8, 8 + length).toString('utf8')) as unknown;
  const json = Buffer.from(JSON.stringify(edit(header)) ?? '');
  const prefix = Buffer.alloc(8);
  view.copy(prefix, 0, 0, 4);
  prefix.writeUInt32LE(json.length, 4);
  return Buffer.concat([prefix, json, data(view.subarray(8 + length))]);
}

/** Bytes mutated in place: the length is kept, so the layout still holds. */
function mutateInPlace(
  data: Uint8Array,
  mutations: Parameters<typeof applyByteMutations>[1],
): Uint8Array {
  const mutated = applyByteMutations(data, mutations);
  const fitted = new Uint8Array(data.length);
  fitted.set(mutated.subarray(0, data.length));
  return fitted;
}

function mutateTensor(
  tensor: RawTensor,
  mutations: Parameters<typeof applyByteMutations>[1],
): RawTensor {
  return { ...tensor, data: mutateInPlace(tensor.data, mutations) };
}

/**
 * A payload with the bytes of one tensor (picked by `target` among all of them) mutated in
 * place; the layout is untouched.
 */
function mutatePayloadBytes(
  payload: EncodedPayload,
  target: number,
  mutations: Parameters<typeof applyByteMutations>[1],
): EncodedPayload {
  if (payload.format === 'text') return payload;
  if (payload.format === 'soft') {
    return { ...payload, embeddings: mutateTensor(payload.embeddings, mutations) };
  }
  let index = 0;
  const pick = (tensor: RawTensor) =>
    index++ === target ? mutateTensor(tensor, mutations) : tensor;
  const half = (tensor: EncodedKvTensor): EncodedKvTensor =>
    isQuantized(tensor)
      ? { ...tensor, codes: pick(tensor.codes), scale: pick(tensor.scale), zero: pick(tensor.zero) }
      : pick(tensor);
  return {
    ...payload,
    layers: payload.layers.map((layer) => ({ key: half(layer.key), value: half(layer.value) })),
  };
}

const codeOf = (error: unknown) =>
  isSignalError(error) ? error.code : `untyped: ${String(error)}`;

describe('binary payload frame fuzz (receivePayloadFrame, decodeEncodedKv)', () => {
  asyncFuzzTarget({
    name: 'receivePayloadFrame on byte-mutated frames (lying length prefix, truncation, any chunking)',
    input: fc.record({
      ...common,
      headerLength: fc.option(fc.constantFrom(...LYING_LENGTHS), { nil: undefined }),
      mutations: byteMutations(4),
    }),
    prepare: ({ seed, chunk, contentLength, kvDtype, strict, headerLength, mutations }) => {
      const frame = Buffer.from(FRAMES[seed]!);
      if (headerLength !== undefined) frame.writeUInt32LE(headerLength, 4);
      const bytes = applyByteMutations(frame, mutations);
      return {
        bytes,
        chunk,
        contentLength: contentLengthOf(contentLength, bytes),
        kvDtype,
        limits: LIMITS[strict ? 0 : 1]!,
      };
    },
    size: (prepared) => prepared.bytes.length,
    parse: receive,
    accept: isSignalError,
    check: checkReceived,
  });

  asyncFuzzTarget({
    name: 'receivePayloadFrame on frames whose header lies (offsets, lengths, shapes, data_bytes) over cut or padded data',
    input: fc.record({
      ...common,
      mutations: jsonMutations(4),
      data: fc.oneof(
        fc.constant({ kind: 'same' as const }),
        fc.record({
          kind: fc.constant('cut' as const),
          at: position,
        }),
        fc.record({ kind: fc.constant('pad' as const), bytes: fc.integer({ min: 1, max: 4096 }) }),
      ),
    }),
    prepare: ({ seed, chunk, contentLength, kvDtype, strict, mutations, data }) => {
      const bytes = reframe(
        FRAMES[seed]!,
        (header) => applyJsonMutations(header, mutations),
        (tensors) => {
          if (data.kind === 'cut') return tensors.subarray(0, Math.floor(data.at * tensors.length));
          if (data.kind === 'pad') return Buffer.concat([tensors, Buffer.alloc(data.bytes, 0x41)]);
          return tensors;
        },
      );
      return {
        bytes,
        chunk,
        contentLength: contentLengthOf(contentLength, bytes),
        kvDtype,
        limits: LIMITS[strict ? 0 : 1]!,
      };
    },
    size: (prepared) => prepared.bytes.length,
    parse: receive,
    accept: isSignalError,
    check: checkReceived,
  });

  asyncFuzzTarget({
    name: 'receivePayloadFrame and decodeEncodedKv on tensor bytes mutated under honest digests: the same result or the same refusal',
    input: fc.record({
      seed: common.seed,
      chunk: common.chunk,
      kvDtype: common.kvDtype,
      target: fc.nat({ max: 17 }),
      mutations: byteMutations(6),
    }),
    prepare: async ({ seed, chunk, kvDtype, target, mutations }) => {
      const payload = mutatePayloadBytes(PAYLOADS[seed]!, target, mutations);
      return { payload, bytes: await bytesOf(payload), chunk, kvDtype };
    },
    size: (prepared) => prepared.bytes.length,
    parse: async ({ payload, bytes, chunk, kvDtype }) => {
      let framed: { result: ReceivedPayload } | { error: unknown };
      try {
        framed = {
          result: await receivePayloadFrame(chunked(bytes, chunk), {
            limits: LIMITS[0]!,
            kvDtype,
            contentLength: bytes.length,
          }),
        };
      } catch (error) {
        framed = { error };
      }
      if (payload.format !== 'kv') {
        if ('error' in framed) throw framed.error;
        return framed.result;
      }
      let direct: { result: DecodedKv } | { error: unknown };
      try {
        direct = { result: decodeEncodedKv(payload, { dtype: kvDtype }) };
      } catch (error) {
        direct = { error };
      }
      if ('error' in direct && !isSignalError(direct.error)) throw direct.error;
      if ('error' in framed || 'error' in direct) {
        expect('error' in direct ? codeOf(direct.error) : 'decoded').toBe(
          'error' in framed ? codeOf(framed.error) : 'decoded',
        );
        throw (framed as { error: unknown }).error;
      }
      if (framed.result.format !== 'kv') throw new Error('a kv frame decoded as another format');
      expect(framed.result.kv.layers.map((l) => [Array.from(l.key), Array.from(l.value)])).toEqual(
        direct.result.layers.map((l) => [Array.from(l.key), Array.from(l.value)]),
      );
      return framed.result;
    },
    accept: isSignalError,
    check: checkReceived,
  });
});

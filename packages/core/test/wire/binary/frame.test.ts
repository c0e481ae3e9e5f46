import type { KvDtype } from '../../../src/payload/DecodedKv';
import { decodeEncodedKv } from '../../../src/payload/decodeKvPayload';
import type { KvFormat } from '../../../src/payload/KvFormat';
import { PayloadError } from '../../../src/payload/PayloadError';
import type { PayloadLimits } from '../../../src/payload/PayloadLimits';
import { FrameError } from '../../../src/wire/binary/FrameError';
import { framePayload } from '../../../src/wire/binary/framePayload';
import { frameRefusalStatus } from '../../../src/wire/binary/frameRefusalStatus';
import { receivePayloadFrame } from '../../../src/wire/binary/receivePayloadFrame';
import {
  chunked,
  encodedKv,
  frameBytes,
  GEOMETRY,
  rawFrame,
  sha256,
  splitFrame,
} from './frameFixtures';

const LIMITS: PayloadLimits = {
  maxPayloadBytes: 1 << 20,
  geometry: GEOMETRY,
  expectedModel: 'local/tiny-llama',
};

async function refusal(bytes: Uint8Array, limits = LIMITS, contentLength?: number) {
  try {
    await receivePayloadFrame(chunked(bytes, 7), { limits, kvDtype: 'float32', contentLength });
  } catch (error) {
    expect(error instanceof FrameError || error instanceof PayloadError).toBe(true);
    return error as FrameError | PayloadError;
  }
  throw new Error('expected the frame to be refused');
}

describe('payload frames', () => {
  it.each<KvFormat>(['fp32', 'fp16', 'int8', 'int4'])(
    'carries a %s cache and decodes it as the JSON route would, whatever the chunking',
    async (format) => {
      const payload = encodedKv(format);
      const frame = framePayload(payload);
      const bytes = await frameBytes(payload);
      expect(bytes.length).toBe(frame.byteLength);
      const expected = decodeEncodedKv(payload, { dtype: 'float32' });
      for (const size of [1, 13, 4096]) {
        const received = await receivePayloadFrame(chunked(bytes, size), {
          limits: LIMITS,
          kvDtype: 'float32',
          contentLength: bytes.length,
        });
        expect(received.format).toBe('kv');
        if (received.format !== 'kv') return;
        expect(received.kv.format).toBe(format);
        expect(received.kv.layers.map((l) => [Array.from(l.key), Array.from(l.value)])).toEqual(
          expected.layers.map((l) => [Array.from(l.key), Array.from(l.value)]),
        );
      }
      const halves = await receivePayloadFrame(chunked(bytes, 64), {
        limits: LIMITS,
        kvDtype: 'float16',
      });
      expect(halves.format === 'kv' && halves.kv.layers[0]!.key).toBeInstanceOf(Uint16Array);
    },
  );

  it('lays tensors out layer by layer', async () => {
    const { header } = await splitFrame(encodedKv('int4'));
    const offsets = header.payload.layers.flatMap((layer) =>
      (['key', 'value'] as const).flatMap((half) =>
        ['codes', 'scale', 'zero'].map((p) => layer[half]![p]!.offset as number),
      ),
    );
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
  });

  it.each<[KvFormat, KvDtype]>([
    ['fp32', 'float16'],
    ['fp16', 'float32'],
    ['int8', 'float16'],
    ['int4', 'float32'],
    ['int4', 'float16'],
  ])(
    'hands a %s cache to a sink in %s slabs of bounded size, in order, through one buffer',
    async (format, kvDtype) => {
      // 40 tokens, groups of 4: a key slice (40 × 8) is cut into bands of whole groups (32).
      const payload = encodedKv(format, 40, 4);
      const bytes = await frameBytes(payload);
      const expected = decodeEncodedKv(payload, { dtype: kvDtype });
      for (const slabElements of [48, 100, 1 << 20]) {
        const slabs: { layer: number; half: string; offset: number; data: number[] }[] = [];
        const buffers = new Set<ArrayBufferLike>();
        const received = await receivePayloadFrame(chunked(bytes, 97), {
          limits: LIMITS,
          kvDtype,
          slabElements,
          sink: ({ layer, half, offset, data }) => {
            expect(data).toBeInstanceOf(kvDtype === 'float16' ? Uint16Array : Float32Array);
            expect(data.length).toBeLessThanOrEqual(slabElements);
            buffers.add(data.buffer);
            slabs.push({ layer, half, offset, data: Array.from(data) });
          },
        });
        expect(received.format === 'kv' && received.kv.layers).toEqual([]);
        // Every slab was decoded into one buffer of the bound (or of a whole half: 640).
        expect(buffers.size).toBe(1);
        const [buffer] = buffers;
        const elements = Math.min(slabElements, 2 * 40 * 8);
        expect(buffer!.byteLength).toBe(elements * (kvDtype === 'float16' ? 2 : 4));
        // In order (layer, key then value, offsets back to back), the slabs are the cache.
        let i = 0;
        expected.layers.forEach((layer, index) => {
          for (const half of ['key', 'value'] as const) {
            const values: number[] = [];
            while (slabs[i]?.layer === index && slabs[i]?.half === half) {
              expect(slabs[i]!.offset).toBe(values.length);
              values.push(...slabs[i]!.data);
              i++;
            }
            expect(values).toEqual(Array.from(layer[half]));
          }
        });
        expect(i).toBe(slabs.length);
      }
    },
  );

  it('hands a sink nothing of a half whose last scale is NaN', async () => {
    const { header, data } = await splitFrame(encodedKv('int4', 40, 4));
    const ref = header.payload.layers[1]!.key!.scale!;
    const at = ref.offset as number;
    data.writeUInt16LE(0x7e00, at + (ref.length as number) - 2);
    ref.sha256 = sha256(data.subarray(at, at + (ref.length as number)));
    const seen: string[] = [];
    let error: unknown;
    try {
      await receivePayloadFrame(chunked(rawFrame(header, data), 64), {
        limits: LIMITS,
        kvDtype: 'float16',
        slabElements: 32,
        sink: ({ layer, half }) => {
          seen.push(`${layer}.${half}`);
        },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as PayloadError).code).toBe('PAYLOAD_SCALE_NON_FINITE');
    expect((error as PayloadError).path).toBe('condensed.layers[1].key.scale');
    expect(new Set(seen)).toEqual(new Set(['0.key', '0.value']));
  });

  it('refuses a truncated stream, naming the tensor it was reading', async () => {
    const bytes = await frameBytes(encodedKv('int8'));
    const error = await refusal(bytes.subarray(0, bytes.length - 5));
    expect(error.code).toBe('FRAME_TRUNCATED');
    expect(error.path).toBe('condensed.layers[2].value.zero');
    expect((await refusal(bytes.subarray(0, 6))).code).toBe('FRAME_TRUNCATED');
  });

  it('refuses bytes that do not match their sha256', async () => {
    const { header, data } = await splitFrame(encodedKv('int4'));
    const at = header.payload.layers[1]!.key!.codes!.offset as number;
    data[at + 3] = data[at + 3]! ^ 0x10;
    const error = await refusal(rawFrame(header, data));
    expect(error.code).toBe('FRAME_SHA256');
    expect(error.path).toBe('condensed.layers[1].key.codes.sha256');
  });

  it('refuses a header that lies about sizes or offsets', async () => {
    const { header, data } = await splitFrame(encodedKv('int4'));
    const codes = header.payload.layers[0]!.value!.codes!;
    codes.length = (codes.length as number) - 2;
    const lengthLie = await refusal(rawFrame(header, data));
    expect(lengthLie.code).toBe('PAYLOAD_BUFFER_SIZE');
    expect(lengthLie.path).toBe('condensed.layers[0].value.codes.length');

    const second = await splitFrame(encodedKv('int4'));
    const scale = second.header.payload.layers[1]!.key!.scale!;
    scale.offset = (scale.offset as number) + 2;
    const offsetLie = await refusal(rawFrame(second.header, second.data));
    expect(offsetLie.path).toBe('condensed.layers[1].key.scale.offset');

    const third = await splitFrame(encodedKv('int8'));
    third.header.payload.layers[2]!.key!.shape = [1, GEOMETRY.kvHeads, 7, GEOMETRY.headDim];
    expect((await refusal(rawFrame(third.header, third.data))).code).toBe('PAYLOAD_LAYER_MISMATCH');

    const fourth = await splitFrame(encodedKv('fp16'));
    const frame = rawFrame(
      { ...fourth.header, data_bytes: fourth.header.data_bytes + 1 },
      fourth.data,
    );
    expect((await refusal(frame)).code).toBe('FRAME_HEADER');
  });

  it('refuses a NaN scale, naming the tensor, though its digest matches', async () => {
    const { header, data } = await splitFrame(encodedKv('int8'));
    const ref = header.payload.layers[2]!.value!.scale!;
    const at = ref.offset as number;
    data.writeUInt16LE(0x7e00, at + 2);
    ref.sha256 = sha256(data.subarray(at, at + (ref.length as number)));
    const error = await refusal(rawFrame(header, data));
    expect(error.code).toBe('PAYLOAD_SCALE_NON_FINITE');
    expect(error.path).toBe('condensed.layers[2].value.scale');
  });

  it('refuses an int4 half with an odd element count', async () => {
    const { header, data } = await splitFrame(encodedKv('int4'));
    for (const layer of header.payload.layers) {
      for (const half of ['key', 'value'] as const) layer[half]!.shape = [1, 1, 3, 3] as never;
    }
    const error = await refusal(rawFrame(header, data), { ...LIMITS, geometry: undefined });
    expect(error.code).toBe('PAYLOAD_INT4_ODD_COUNT');
    expect(error.path).toBe('condensed.layers[0].key.shape');
  });

  it('refuses a payload over the byte cap from its header, before reading its tensors', async () => {
    const bytes = await frameBytes(encodedKv('fp32', 64));
    const pulled = { bytes: 0 };
    const limits = { ...LIMITS, maxPayloadBytes: 4096 };
    let error: unknown;
    try {
      await receivePayloadFrame(chunked(bytes, 1024, pulled), { limits, kvDtype: 'float32' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FrameError);
    expect((error as FrameError).code).toBe('FRAME_TOO_LARGE');
    expect(frameRefusalStatus(error)).toBe(413);
    const headerEnd = 8 + bytes.readUInt32LE(4);
    expect(pulled.bytes).toBeLessThanOrEqual(headerEnd + 1024);
    // A Content-Length over the cap is refused from the prefix, before the header is read.
    const early = { bytes: 0 };
    await expect(
      receivePayloadFrame(chunked(bytes, 1024, early), {
        limits,
        kvDtype: 'float32',
        contentLength: bytes.length,
      }),
    ).rejects.toMatchObject({ code: 'FRAME_TOO_LARGE' });
    expect(early.bytes).toBe(1024);
  });

  it('refuses bad magic, an impossible header length, trailing bytes and a Content-Length that disagrees', async () => {
    const bytes = await frameBytes(encodedKv('fp16'));
    const magic = Buffer.from(bytes);
    magic[0] = 0x00;
    expect((await refusal(magic)).code).toBe('FRAME_MAGIC');
    const long = Buffer.from(bytes);
    long.writeUInt32LE(0xffffffff, 4);
    expect((await refusal(long)).path).toBe('frame.header_length');
    expect((await refusal(Buffer.concat([bytes, Buffer.from([0])]))).code).toBe(
      'FRAME_TRAILING_BYTES',
    );
    expect((await refusal(bytes, LIMITS, bytes.length + 1)).code).toBe('FRAME_CONTENT_LENGTH');
    const notJson = Buffer.from(bytes);
    notJson[8] = 0xff;
    expect((await refusal(notJson)).code).toBe('FRAME_HEADER');
    expect(frameRefusalStatus(await refusal(notJson))).toBe(422);
  });
});

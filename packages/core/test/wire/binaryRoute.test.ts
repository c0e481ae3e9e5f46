import { Axon } from '../../src/wire/axon/Axon';
import { FrameError } from '../../src/wire/binary/FrameError';
import { FRAME_CONTENT_TYPE } from '../../src/wire/binary/frameFormat';
import { framePayload } from '../../src/wire/binary/framePayload';
import { receivePayloadFrame } from '../../src/wire/binary/receivePayloadFrame';
import { Dendrite } from '../../src/wire/dendrite/Dendrite';
import type { Signer } from '../../src/wire/signature';
import { encodedKv, GEOMETRY } from './binary/frameFixtures';
import { Echo, rawPost, signedRequest, signers, Tokens } from './loopbackFixtures';

let minerKey: Signer;
let validatorKey: Signer;
let strangerKey: Signer;
let axon: Axon;
let dendrite: Dendrite;
let target: { ip: string; port: number; hotkey: string };
const served: string[] = [];

const limits = (maxPayloadBytes = 1 << 20) => ({ maxPayloadBytes, geometry: GEOMETRY });
const receive =
  (maxPayloadBytes?: number) =>
  (body: Parameters<Parameters<Dendrite['binary']>[3]['receive']>[0]) =>
    receivePayloadFrame(body.chunks, {
      limits: limits(maxPayloadBytes),
      kvDtype: 'float32',
      contentLength: body.contentLength,
    });

beforeAll(async () => {
  [minerKey, validatorKey, strangerKey] = await signers();
  axon = new Axon({
    signer: minerKey,
    onRequest: (event) => served.push(`${event.synapse} ${event.status}`),
  });
  axon.attach(Echo, {
    blacklist: (_synapse, context) => ({
      blacklisted: context.dendrite.hotkey === strangerKey.address,
      reason: 'stranger',
    }),
    forward: (synapse) => ({ ...synapse, reply: synapse.text }),
    binary: (synapse) => {
      const frame = framePayload(encodedKv('int4', synapse.text.length));
      if (synapse.delay_ms === 0) return frame;
      // A sender that dies half-way through its body.
      return {
        ...frame,
        async *chunks() {
          let sent = 0;
          for await (const chunk of frame.chunks()) {
            if (sent > 200) throw new Error('the condenser crashed mid-body');
            sent += chunk.byteLength;
            yield chunk;
          }
        },
      };
    },
  });
  axon.attach(Tokens, { stream: async function* () {} });
  const address = await axon.listen();
  target = { ip: address.ip, port: address.port, hotkey: address.hotkey };
  dendrite = new Dendrite({ signer: validatorKey });
});

afterAll(async () => {
  await dendrite.close();
  await axon.close({ graceMs: 100 });
});

describe('the binary route', () => {
  it('answers a signed synapse with a payload frame on the same connection, under signed axon headers', async () => {
    const result = await dendrite.binary(
      target,
      Echo,
      { text: 'twelve chars', delay_ms: 0, reply: null },
      { receive: receive() },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.format).toBe('kv');
    expect(result.value.format === 'kv' && result.value.kv.kept).toBe(12);
    expect(result.axon.hotkey).toBe(minerKey.address);
    expect(result.axon.signature).toMatch(/^0x[0-9a-f]{128}$/);
    expect(served).toContain('Echo/binary 200');
  });

  it('runs the same signature check and blacklist as the synapse route', async () => {
    const unsigned = await signedRequest(
      validatorKey,
      minerKey.address,
      { text: 'x' },
      { omitSignature: true },
    );
    const refused = await rawPost(target.port, '/Echo/binary', unsigned.headers, unsigned.body);
    expect(refused.status).toBe(401);
    const signed = await signedRequest(
      validatorKey,
      minerKey.address,
      { text: 'xy' },
      { uuid: 'raw-binary' },
    );
    const ok = await rawPost(target.port, '/Echo/binary', signed.headers, signed.body);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe(FRAME_CONTENT_TYPE);
    expect(Number(ok.headers['content-length'])).toBe(
      framePayload(encodedKv('int4', 2)).byteLength,
    );
    const strangers = new Dendrite({ signer: strangerKey });
    try {
      const blacklisted = await strangers.binary(
        target,
        Echo,
        { text: 'x', delay_ms: 0, reply: null },
        { receive: receive() },
      );
      expect(blacklisted.status).toBe(403);
    } finally {
      await strangers.close();
    }
  });

  it('is 404 for a route the synapse does not have', async () => {
    const signed = await signedRequest(
      validatorKey,
      minerKey.address,
      { text: 'x' },
      { uuid: 'raw-404' },
    );
    expect((await rawPost(target.port, '/Echo/frames', signed.headers, signed.body)).status).toBe(
      404,
    );
    const tokens = await dendrite.binary(target, Tokens, { prompt: 'x' }, { receive: receive() });
    expect(tokens.status).toBe(404);
  });

  it('reports a frame over the receiver cap as 413, from the header, with the typed error', async () => {
    const result = await dendrite.binary(
      target,
      Echo,
      { text: 'a longer context', delay_ms: 0, reply: null },
      { receive: receive(512) },
    );
    expect(result.ok).toBe(false);
    expect(result.status).toBe(413);
    expect(!result.ok && result.error).toBeInstanceOf(FrameError);
    expect(result.message).toMatch(/FRAME_TOO_LARGE|over the limit/);
  });

  it('reports a body cut short by the sender as a failure, never a result', async () => {
    const result = await dendrite.binary(
      target,
      Echo,
      { text: 'crash me', delay_ms: 1, reply: null },
      { receive: receive() },
    );
    expect(result.ok).toBe(false);
    expect([422, 503]).toContain(result.status);
  });
});

import { createServer, type Server, type Socket } from 'node:net';
import fc from 'fast-check';
import {
  applyByteMutations,
  applyJsonMutations,
  asyncFuzzTarget,
  type ByteMutation,
  byteMutations,
  type JsonMutation,
  jsonMutations,
} from '../../../../jest/fuzz';
import { isSignalError } from '../../src/errors/SignalError';
import { Condense } from '../../src/synapses/Condense';
import { Inference } from '../../src/synapses/Inference';
import type { SynapseSpec } from '../../src/synapses/SynapseSpec';
import { bodyHash } from '../../src/wire/bodyHash';
import { Dendrite } from '../../src/wire/dendrite/Dendrite';
import type { Signer } from '../../src/wire/signature';
import { AXON_BODY_STYLE, encodeSynapseBody } from '../../src/wire/synapseBody';
import { encodeSynapseHeaders, inputObjectsOf } from '../../src/wire/synapseHeaders';
import type { TerminalInfo } from '../../src/wire/terminalInfo';
import { kvPayload } from '../payload/fixtures';
import { signers } from '../wire/loopbackFixtures';

const CONDENSE_REQUEST = {
  context: 'The capital of France is Paris.',
  target_model: 'local/tiny-llama',
  tier: 'research',
  adapter: null,
  condensed: null,
};
const INFERENCE_REQUEST = Inference.schema.parse({
  model: 'local/tiny-llama',
  prompt: 'Hi',
  stream: true,
});

/** An axon's answer as bytes: status line, the synapse headers, then the body. */
function response(
  status: number,
  headers: Record<string, string>,
  body: string,
  chunked = false,
): string {
  const lines = [`HTTP/1.1 ${status} ${status === 200 ? 'OK' : 'Error'}`, 'connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (chunked) {
    lines.push('transfer-encoding: chunked');
    const chunks = body.match(/[\s\S]{1,5}/g) ?? [];
    const framed = chunks.map((c) => `${Buffer.byteLength(c).toString(16)}\r\n${c}\r\n`).join('');
    return `${lines.join('\r\n')}\r\n\r\n${framed}0\r\n\r\n`;
  }
  lines.push(`content-length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

function synapseResponse(
  spec: SynapseSpec,
  values: Record<string, unknown>,
  axonKey: string,
): string {
  const axon: TerminalInfo = {
    status_code: 200,
    status_message: 'Success',
    process_time: 0.25,
    ip: '127.0.0.1',
    port: 8091,
    version: 10_002_000,
    nonce: 1_700_000_000_000_000_000n,
    uuid: 'axon-uuid',
    hotkey: axonKey,
  };
  const dendrite: TerminalInfo = { ip: '127.0.0.1', version: 10_002_000, uuid: 'd', hotkey: 'x' };
  const hash = bodyHash(spec, values);
  const body = encodeSynapseBody(
    spec,
    values,
    {
      name: spec.name,
      timeout: 12,
      totalSize: 0,
      headerSize: 0,
      dendrite,
      axon,
      computedBodyHash: hash,
    },
    AXON_BODY_STYLE,
  );
  const headers = encodeSynapseHeaders({
    name: spec.name,
    timeout: 12,
    axon,
    dendrite,
    inputObjects: inputObjectsOf(spec, values),
    totalSize: Buffer.byteLength(body),
    computedBodyHash: hash,
  });
  return response(200, { ...headers, 'content-type': 'application/json' }, body);
}

interface ResponseSeed {
  readonly spec: 'condense' | 'inference-stream';
  readonly text: string;
}

let seeds: ResponseSeed[] = [];
let dendrite: Dendrite;
let server: Server;
let port = 0;
let next: Uint8Array = new Uint8Array();
const sockets = new Set<Socket>();

beforeAll(async () => {
  const [client, axonKey] = (await signers()) as [Signer, Signer, Signer];
  dendrite = new Dendrite({ signer: client, maxResponseBytes: 256 * 1024 });
  const condensed = { ...CONDENSE_REQUEST, condensed: kvPayload(3, 12) };
  const streamHeaders = {
    ...encodeSynapseHeaders({
      name: 'Inference',
      timeout: 12,
      axon: { status_code: 200, status_message: 'Success', hotkey: axonKey.address },
      dendrite: {},
      totalSize: 0,
      computedBodyHash: bodyHash(Inference, INFERENCE_REQUEST),
    }),
    'content-type': 'text/event-stream',
  };
  const refusal = JSON.stringify({ message: 'MINER_TIER_LIMIT: the context cannot meet the tier' });
  seeds = [
    { spec: 'condense', text: synapseResponse(Condense, condensed, axonKey.address) },
    { spec: 'condense', text: synapseResponse(Condense, CONDENSE_REQUEST, axonKey.address) },
    {
      spec: 'condense',
      text: response(
        422,
        { bt_header_axon_status_code: '422', 'content-type': 'application/json' },
        refusal,
      ),
    },
    { spec: 'inference-stream', text: response(200, streamHeaders, 'Hello there, friend.', true) },
  ];
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', () => socket.end(next));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await dendrite.close();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

interface ResponseCase {
  readonly seed: number;
  readonly body:
    | { readonly kind: 'json'; readonly mutations: JsonMutation[] }
    | { readonly kind: 'bytes'; readonly mutations: ByteMutation[] };
}

const responseCase: fc.Arbitrary<ResponseCase> = fc.record({
  seed: fc.nat(3),
  body: fc.oneof(
    fc.record({ kind: fc.constant('json' as const), mutations: jsonMutations(3) }),
    fc.record({ kind: fc.constant('bytes' as const), mutations: byteMutations(5) }),
  ),
});

interface PreparedResponse {
  readonly spec: ResponseSeed['spec'];
  readonly bytes: Uint8Array;
}

function prepare(input: ResponseCase): PreparedResponse {
  const seed = seeds[input.seed]!;
  if (input.body.kind === 'bytes') {
    return {
      spec: seed.spec,
      bytes: applyByteMutations(Buffer.from(seed.text), input.body.mutations),
    };
  }
  const split = seed.text.indexOf('\r\n\r\n') + 4;
  const head = seed.text.slice(0, split);
  let body = seed.text.slice(split);
  try {
    body = JSON.stringify(applyJsonMutations(JSON.parse(body), input.body.mutations));
  } catch {
    // A streamed body is not JSON; its bytes are what the dendrite forwards.
  }
  const framed = head.replace(/content-length: \d+/, `content-length: ${Buffer.byteLength(body)}`);
  return { spec: seed.spec, bytes: Buffer.from(framed + body) };
}

/** One call to the fake axon: it writes the prepared bytes and closes. */
async function call(prepared: PreparedResponse): Promise<unknown> {
  next = prepared.bytes;
  const target = { ip: '127.0.0.1', port, hotkey: 'axon' };
  if (prepared.spec === 'condense') {
    return dendrite.call(target, Condense, CONDENSE_REQUEST, { timeout: 5 });
  }
  const stream = dendrite.stream(target, Inference, INFERENCE_REQUEST, { timeout: 5 });
  for await (const _chunk of stream.chunks) {
    // Consumed as a client would.
  }
  return stream.result;
}

/**
 * Found by this target: a streamed answer whose headers failed to decode left its body unread;
 * destroying it made undici emit an `error` event nobody listened to, an uncaught exception.
 */
const BROKEN_STREAM_HEADERS = [
  'HTTP/1.1 200 OK',
  'connection: close',
  'bt_header_axon_status_code: 20HTTP/1.1 200 OK',
  'content-type: text/event-stream',
  'transfer-encoding: chunked',
  '',
  '5\r\nHello\r\n0\r\n\r\n',
].join('\r\n');

describe('dendrite response parsing fuzz', () => {
  it('regression: a stream whose headers do not decode is a 422, not an uncaught error', async () => {
    const result = (await call({
      spec: 'inference-stream',
      bytes: Buffer.from(BROKEN_STREAM_HEADERS),
    })) as Awaited<ReturnType<Dendrite['call']>>;
    expect(result.status).toBe(422);
    expect(result.message).toMatch(/bt_header_axon_status_code/);
    // undici emits the abort on the next turn; a crash would fail this test.
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  asyncFuzzTarget({
    name: 'dendrite: mutated axon answers resolve to a result, never a throw',
    input: responseCase,
    prepare,
    size: (prepared) => prepared.bytes.length,
    parse: call,
    accept: isSignalError,
    check: (result) => {
      const outcome = result as Awaited<ReturnType<Dendrite['call']>>;
      expect(typeof outcome.status).toBe('number');
      if (outcome.ok) {
        expect(outcome.status).toBe(200);
        expect(
          Condense.schema.safeParse(outcome.synapse).success ||
            Inference.schema.safeParse(outcome.synapse).success,
        ).toBe(true);
      } else {
        expect(outcome.status).not.toBe(200);
        expect(typeof outcome.message).toBe('string');
      }
    },
  });
});

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
import { Axon } from '../../src/wire/axon/Axon';
import type { AxonRequestEvent } from '../../src/wire/axon/AxonHandlers';
import type { Signer } from '../../src/wire/signature';
import { signers } from '../wire/loopbackFixtures';
import { httpRequestBytes, type RawExchange, rawExchange } from './rawHttp';
import {
  applyHeaderMutations,
  type HeaderMutation,
  headerMutations,
  type SignedSynapse,
  signedSynapse,
} from './signedSynapse';

let axon: Axon;
let port = 0;
const events: AxonRequestEvent[] = [];
const seeds: Array<{ spec: SynapseSpec; request: SignedSynapse }> = [];

beforeAll(async () => {
  const [client, key] = (await signers()) as [Signer, Signer, Signer];
  axon = new Axon({ signer: key, maxBodyBytes: 64 * 1024, onRequest: (e) => events.push(e) });
  axon.attach(Condense, { forward: (synapse) => ({ ...synapse, condensed: null }) });
  axon.attach(Inference, {
    forward: (synapse) => ({ ...synapse, completion: 'ok', tokens: [1] }),
    async *stream() {
      yield 'ok';
    },
    streams: (synapse) => synapse.stream,
  });
  port = (await axon.listen()).port;
  const nonce = BigInt(Date.now()) * 1_000_000n;
  const inputs: Array<[SynapseSpec, Record<string, unknown>]> = [
    [Condense, { context: 'The capital of France is Paris.', target_model: 'm', tier: 'research' }],
    [Inference, { model: 'm', prompt: 'Say hi', max_new_tokens: 8, stream: true }],
    [Inference, { model: 'm', prompt: 'Say hi', stop: ['.'] }],
  ];
  let n = nonce;
  for (const [spec, input] of inputs) {
    seeds.push({ spec, request: await signedSynapse(client, key.address, spec, input, n) });
    n += 1n;
  }
});

afterAll(async () => {
  await axon.close({ graceMs: 1_000 });
});

interface HttpCase {
  readonly seed: number;
  readonly path: 'own' | 'other' | 'ping' | 'unknown';
  readonly headers: HeaderMutation[];
  readonly body:
    | { readonly kind: 'json'; readonly mutations: JsonMutation[] }
    | { readonly kind: 'bytes'; readonly mutations: ByteMutation[] }
    | null;
  /** Mutations of the whole request's bytes, framing included. */
  readonly wire: ByteMutation[];
}

const httpCase: fc.Arbitrary<HttpCase> = fc.record({
  seed: fc.nat(2),
  path: fc.constantFrom('own', 'own', 'own', 'other', 'ping', 'unknown'),
  headers: headerMutations,
  body: fc.option(
    fc.oneof(
      fc.record({ kind: fc.constant('json' as const), mutations: jsonMutations(3) }),
      fc.record({ kind: fc.constant('bytes' as const), mutations: byteMutations(3) }),
    ),
    { nil: null },
  ),
  wire: fc.oneof(
    { weight: 4, arbitrary: fc.constant<ByteMutation[]>([]) },
    { weight: 1, arbitrary: byteMutations(3) },
  ),
});

function prepare(input: HttpCase): Uint8Array {
  const { spec, request } = seeds[input.seed]!;
  let body = request.body;
  if (input.body?.kind === 'json') {
    body = JSON.stringify(applyJsonMutations(JSON.parse(body), input.body.mutations));
  } else if (input.body?.kind === 'bytes') {
    body = Buffer.from(applyByteMutations(Buffer.from(body), input.body.mutations)).toString();
  }
  const path = {
    own: `/${spec.name}`,
    other: spec.name === 'Condense' ? '/Inference' : '/Condense',
    ping: '/Synapse',
    unknown: '/Nope?x=1',
  }[input.path];
  const bytes = httpRequestBytes(path, applyHeaderMutations(request.headers, input.headers), body);
  return input.wire.length === 0 ? bytes : applyByteMutations(bytes, input.wire);
}

/** Sends the bytes and returns the exchange plus what the axon reported for it. */
async function exchange(
  bytes: Uint8Array,
): Promise<{ raw: RawExchange; reported: AxonRequestEvent[] }> {
  const before = events.length;
  const raw = await rawExchange(port, bytes);
  // The axon reports a request when its pipeline settles, which is after the response ends.
  await new Promise((resolve) => setImmediate(resolve));
  return { raw, reported: events.slice(before) };
}

describe('axon over HTTP fuzz', () => {
  asyncFuzzTarget({
    name: 'axon: mutated requests on a real socket are refused with a 4xx, never a 500',
    input: httpCase,
    prepare,
    size: (bytes) => bytes.length,
    parse: exchange,
    accept: isSignalError,
    check: (result) => {
      const { raw, reported } = result as Awaited<ReturnType<typeof exchange>>;
      expect(raw.status).not.toBe(500);
      for (const event of reported) {
        if (event.status >= 500) throw new Error(`axon answered ${event.status}: ${event.message}`);
      }
    },
  });

  it('still serves a valid request after the fuzzing', async () => {
    const { spec, request } = seeds[0]!;
    const { raw } = await exchange(
      httpRequestBytes(`/${spec.name}`, request.headers, request.body),
    );
    // The seed's nonce was admitted during the run, so a replay is refused as such: the
    // axon is alive and still checking nonces.
    expect([200, 401]).toContain(raw.status);
    expect(raw.response.toString()).toMatch(/Success|Nonce/);
  });
});

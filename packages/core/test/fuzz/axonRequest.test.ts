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
import { InlineSignatures } from '../../src/wire/axon/signatures/InlineSignatures';
import { verifyRequest } from '../../src/wire/axon/verifyRequest';
import { NonceTracker } from '../../src/wire/nonceTracker';
import type { Signer } from '../../src/wire/signature';
import { decodeSynapseBody } from '../../src/wire/synapseBody';
import { decodeSynapseHeaders } from '../../src/wire/synapseHeaders';
import { kvPayload } from '../payload/fixtures';
import { signers } from '../wire/loopbackFixtures';
import {
  applyHeaderMutations,
  type HeaderMutation,
  headerMutations,
  type SignedSynapse,
  signedSynapse,
} from './signedSynapse';

interface Seed {
  readonly spec: SynapseSpec;
  readonly request: SignedSynapse;
}

const seeds: Seed[] = [];
let axonHotkey = '';
const verifier = new InlineSignatures();

beforeAll(async () => {
  const [client, axon] = (await signers()) as [Signer, Signer, Signer];
  axonHotkey = axon.address;
  const nonce = BigInt(Date.now()) * 1_000_000n;
  const inputs: Array<[SynapseSpec, Record<string, unknown>]> = [
    [Condense, { context: 'The capital of France is Paris.', target_model: 'm', tier: 'research' }],
    [
      Condense,
      {
        context: 'ünïcödé ✓ "quotes" \\ and \n newlines',
        target_model: 'm',
        tier: 'inference_1',
        adapter: 'a',
      },
    ],
    [
      Inference,
      { model: 'm', prompt: 'Say hi', max_new_tokens: 8, temperature: 0.5, stop: ['\n'], seed: 3 },
    ],
    [Inference, { model: 'm', prompt: 'Continue', condensed: kvPayload(2, 8) }],
  ];
  for (const [spec, input] of inputs) {
    seeds.push({ spec, request: await signedSynapse(client, axonHotkey, spec, input, nonce) });
  }
});

interface RequestCase {
  readonly seed: number;
  readonly headers: HeaderMutation[];
  readonly body:
    | { readonly kind: 'json'; readonly mutations: JsonMutation[] }
    | { readonly kind: 'bytes'; readonly mutations: ByteMutation[] }
    | { readonly kind: 'none' };
}

const requestCase: fc.Arbitrary<RequestCase> = fc.record({
  seed: fc.nat(3),
  headers: headerMutations,
  body: fc.oneof(
    fc.record({ kind: fc.constant('json' as const), mutations: jsonMutations(3) }),
    fc.record({ kind: fc.constant('bytes' as const), mutations: byteMutations(4) }),
    fc.record({ kind: fc.constant('none' as const) }),
  ),
});

interface PreparedRequest {
  readonly spec: SynapseSpec;
  readonly headers: Record<string, string>;
  readonly text: string;
  readonly nonce: bigint;
}

function prepare(input: RequestCase): PreparedRequest {
  const { spec, request } = seeds[input.seed]!;
  let text = request.body;
  if (input.body.kind === 'json') {
    text = JSON.stringify(applyJsonMutations(JSON.parse(request.body), input.body.mutations));
  } else if (input.body.kind === 'bytes') {
    text = Buffer.from(
      applyByteMutations(Buffer.from(request.body), input.body.mutations),
    ).toString();
  }
  return {
    spec,
    headers: applyHeaderMutations(request.headers, input.headers),
    text,
    nonce: request.nonce,
  };
}

/**
 * The axon's parsing stages, in its order: headers, the timeout they carry, the synapse body
 * (and the hash of what was received), then the signature and nonce checks over both.
 */
async function parseRequest(request: PreparedRequest): Promise<unknown> {
  const headers = decodeSynapseHeaders(request.headers);
  const decoded = decodeSynapseBody(request.spec, request.text);
  // The clock stands at signing time, so an unmutated request passes the freshness check.
  const nonces = new NonceTracker({ nowNs: () => request.nonce });
  await verifyRequest(
    headers,
    decoded.bodyHash,
    axonHotkey,
    nonces,
    Math.min(headers.timeout ?? 12, 60),
    verifier,
  );
  return decoded.values;
}

describe('axon request parsing fuzz', () => {
  asyncFuzzTarget({
    name: 'axon: headers, synapse JSON, body hash and signature of mutated requests',
    input: requestCase,
    prepare,
    size: (request) =>
      Buffer.byteLength(request.text) +
      Object.entries(request.headers).reduce((n, [k, v]) => n + k.length + v.length, 0),
    parse: parseRequest,
    accept: isSignalError,
    check: (values, request) => {
      // Accepted only if it still parses under the spec's schema.
      expect(request.spec.schema.safeParse(values).success).toBe(true);
    },
  });
});

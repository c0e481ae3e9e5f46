import { Axon } from '../../src/wire/axon/Axon';
import { parseOrderedJson } from '../../src/wire/orderedJson';
import {
  holdsSr25519Keys,
  type KeyHoldingSigner,
  type Signer,
  verifyText,
} from '../../src/wire/signature';
import { Echo, type RawResponse, rawPost, signedRequest, signers } from './loopbackFixtures';

let miner: KeyHoldingSigner;
let validator: Signer;
let stranger: Signer;

beforeAll(async () => {
  [miner, validator, stranger] = await signers();
});

let signerCalls = 0;

/** The miner's key as a `KeyringPair` is to the axon: it signs, but cannot hand its key over. */
function keyringLike(): Signer {
  return {
    address: miner.address,
    sign: (message) => {
      signerCalls++;
      return miner.sign(message);
    },
  };
}

/** The miner's key, handing its raw keys over; counts the signatures asked of it directly. */
function keyHolding(): KeyHoldingSigner {
  return { ...keyringLike(), exportSr25519Keys: () => miner.exportSr25519Keys() };
}

/** What Python's `Keypair(ss58_address=axon.hotkey).verify(message, signature)` checks. */
function pythonVerifies(headers: RawResponse['headers']): boolean {
  const h = headers as Record<string, string>;
  const message = `${h.bt_header_axon_nonce}.${h.bt_header_dendrite_hotkey ?? 'None'}.${h.bt_header_axon_hotkey}.${h.bt_header_axon_uuid}`;
  return verifyText(message, h.bt_header_axon_signature ?? '', h.bt_header_axon_hotkey ?? '');
}

/** `Synapse.to_headers()` of the answered synapse, as Python's axon sends it back. */
const PYTHON_RESPONSE_HEADERS = [
  'name',
  'timeout',
  'bt_header_axon_status_code',
  'bt_header_axon_status_message',
  'bt_header_axon_process_time',
  'bt_header_axon_ip',
  'bt_header_axon_port',
  'bt_header_axon_version',
  'bt_header_axon_nonce',
  'bt_header_axon_uuid',
  'bt_header_axon_hotkey',
  'bt_header_axon_signature',
  'bt_header_dendrite_ip',
  'bt_header_dendrite_port',
  'bt_header_dendrite_version',
  'bt_header_dendrite_nonce',
  'bt_header_dendrite_uuid',
  'bt_header_dendrite_hotkey',
  'bt_header_dendrite_signature',
  'bt_header_input_obj_text',
  'header_size',
  'total_size',
  'computed_body_hash',
];

describe.each([
  ['a signer that hands its key to the signature threads', keyHolding, 1, false],
  ['a KeyringPair-like signer, on the event loop', keyringLike, 1, true],
  ['a key-holding signer on an axon without threads', keyHolding, 0, false],
])('responses signed by %s', (_name, makeSigner, verifyThreads, signsItself) => {
  let axon: Axon;
  let port: number;

  beforeAll(async () => {
    const signer = makeSigner();
    expect(holdsSr25519Keys(signer)).toBe(!signsItself);
    axon = new Axon({ signer, verifyThreads });
    axon.attach(Echo, {
      forward: (synapse) => ({ ...synapse, reply: synapse.text }),
      blacklist: (_synapse, context) => ({
        blacklisted: context.dendrite.hotkey === stranger.address,
        reason: 'stranger',
      }),
    });
    port = (await axon.listen()).port;
  });

  afterAll(() => axon.close());

  beforeEach(() => {
    signerCalls = 0;
  });

  afterEach(() => {
    // The held key signs every response; a signer that cannot hand it over signs them itself.
    if (signsItself) expect(signerCalls).toBeGreaterThan(0);
    else expect(signerCalls).toBe(0);
  });

  it('carry the header set Python sends and a signature Python verifies', async () => {
    const { headers, body } = await signedRequest(validator, miner.address, { text: 'hi' });
    const response = await rawPost(port, '/Echo', headers, body);
    expect(response.status).toBe(200);
    const sent = Object.keys(response.headers).filter(
      (name) =>
        !['content-type', 'content-length', 'date', 'connection', 'keep-alive'].includes(name),
    );
    expect(sent).toEqual(PYTHON_RESPONSE_HEADERS);
    expect(pythonVerifies(response.headers)).toBe(true);
    const axonInBody = (parseOrderedJson(response.text, 'response') as Map<string, unknown>).get(
      'axon',
    ) as Map<string, unknown>;
    expect(axonInBody.get('signature')).toBe(response.headers.bt_header_axon_signature);
    expect(String(axonInBody.get('nonce'))).toBe(response.headers.bt_header_axon_nonce);
  });

  it('give every request its own nonce and signature', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const { headers, body } = await signedRequest(
          validator,
          miner.address,
          { text: `n${i}` },
          { uuid: `lane-${i}` },
        );
        return rawPost(port, '/Echo', headers, body);
      }),
    );
    const nonces = new Set(answers.map((a) => a.headers.bt_header_axon_nonce));
    expect(nonces.size).toBe(answers.length);
    for (const answer of answers) expect(pythonVerifies(answer.headers)).toBe(true);
  });

  it('sign refusals too: a blacklisted caller and a forged request', async () => {
    const blocked = await signedRequest(stranger, miner.address, { text: 'x' });
    const refused = await rawPost(port, '/Echo', blocked.headers, blocked.body);
    expect(refused.status).toBe(403);
    expect(pythonVerifies(refused.headers)).toBe(true);
    const forged = await signedRequest(
      validator,
      miner.address,
      { text: 'x' },
      { uuid: 'forged', signature: `0x${'11'.repeat(64)}` },
    );
    const unverified = await rawPost(port, '/Echo', forged.headers, forged.body);
    expect(unverified.status).toBe(401);
    expect(pythonVerifies(unverified.headers)).toBe(true);
  });
});

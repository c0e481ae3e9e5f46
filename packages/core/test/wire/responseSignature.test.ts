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
    axon = new Axon({ signer, verifyThreads, responseNonceWindowMs: 0 });
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

/** Six concurrent requests from `caller`, one per uuid lane, answered by the axon on `port`. */
function sixAtOnce(port: number, caller: Signer, axonHotkey: string, tag: string) {
  return Promise.all(
    Array.from({ length: 6 }, async (_, i) => {
      const { headers, body } = await signedRequest(
        caller,
        axonHotkey,
        { text: `${tag}${i}` },
        { uuid: `${tag}-lane-${i}` },
      );
      return rawPost(port, '/Echo', headers, body);
    }),
  );
}

describe.each([
  ['a signer that hands its key to the signature threads', keyHolding, 1, false],
  ['a KeyringPair-like signer, on the event loop', keyringLike, 1, true],
  ['a key-holding signer on an axon without threads', keyHolding, 0, false],
])('the response nonce window, signed by %s', (_name, makeSigner, verifyThreads, signsItself) => {
  it('gives every response its own nonce and signature with a window of 0', async () => {
    const axon = new Axon({ signer: makeSigner(), verifyThreads, responseNonceWindowMs: 0 });
    axon.attach(Echo, { forward: (synapse) => ({ ...synapse, reply: synapse.text }) });
    const { port } = await axon.listen();
    signerCalls = 0;
    const answers = await sixAtOnce(port, validator, miner.address, 'own');
    await axon.close();
    const nonces = new Set(answers.map((a) => a.headers.bt_header_axon_nonce));
    expect(nonces.size).toBe(answers.length);
    expect(signerCalls).toBe(signsItself ? answers.length : 0);
    for (const answer of answers) expect(pythonVerifies(answer.headers)).toBe(true);
  });

  it('shares one nonce and signature per caller within the window, each verifying as Python does', async () => {
    // A window no test run outlasts, so that sharing does not depend on how fast this machine is.
    const axon = new Axon({
      signer: makeSigner(),
      verifyThreads,
      responseNonceWindowMs: 600_000,
    });
    axon.attach(Echo, { forward: (synapse) => ({ ...synapse, reply: synapse.text }) });
    const { port } = await axon.listen();
    signerCalls = 0;
    const fromValidator = await sixAtOnce(port, validator, miner.address, 'v');
    const fromStranger = await sixAtOnce(port, stranger, miner.address, 's');
    await axon.close();
    for (const answers of [fromValidator, fromStranger]) {
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      expect(new Set(answers.map((a) => a.headers.bt_header_axon_nonce)).size).toBe(1);
      expect(new Set(answers.map((a) => a.headers.bt_header_axon_signature)).size).toBe(1);
      for (const answer of answers) expect(pythonVerifies(answer.headers)).toBe(true);
    }
    expect(fromValidator[0]!.headers.bt_header_axon_nonce).not.toBe(
      fromStranger[0]!.headers.bt_header_axon_nonce,
    );
    // One signature per caller, not one per response.
    expect(signerCalls).toBe(signsItself ? 2 : 0);
  });
});

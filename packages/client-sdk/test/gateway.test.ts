import { ClientError, SignalClient } from '@signal/client';
import { type FakeGateway, type ScriptedAnswer, startFakeGateway } from './helpers/fakeGateway';
import { kvPayload, textPayload } from './helpers/payloads';
import { TEST_MODEL, TEST_TIERS } from './helpers/testTiers';

const ok = (payload: unknown): ScriptedAnswer => ({
  status: 200,
  body: { payload, miner_uid: 3, latency_ms: 12.5 },
});

const fastRetry = { retries: 2, baseDelayMs: 5, maxDelayMs: 20 };

let gateway: FakeGateway | undefined;
let client: SignalClient | undefined;

function clientFor(g: FakeGateway, apiKey = g.apiKey): SignalClient {
  client = new SignalClient({
    gateway: { url: g.url, apiKey },
    tiers: TEST_TIERS,
    retry: fastRetry,
    timeoutMs: 5_000,
  });
  return client;
}

async function failure(promise: Promise<unknown>): Promise<ClientError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClientError);
  return error as ClientError;
}

afterEach(async () => {
  await client?.close();
  await gateway?.close();
  client = undefined;
  gateway = undefined;
});

describe('gateway mode', () => {
  it('sends the request with the bearer key and returns a typed text context', async () => {
    gateway = await startFakeGateway(() => ok(textPayload('the gist')));
    const condensed = await clientFor(gateway).condense('a long context about many things', {
      format: 'text',
    });
    expect(gateway.requests).toEqual([
      {
        context: 'a long context about many things',
        tier: 'research',
        target_model: TEST_MODEL,
        format: 'text',
      },
    ]);
    expect(condensed.format).toBe('text');
    if (condensed.format !== 'text') throw new Error('unreachable');
    expect(condensed.text).toBe('the gist');
    expect(condensed.stats).toMatchObject({
      originalTokens: 40,
      condensedTokens: 10,
      compressionRatio: 4,
      compression: 0.75,
      minerUid: 3,
      serverLatencyMs: 12.5,
    });
    expect(condensed.stats.latencyMs).toBeGreaterThan(0);
    expect(condensed.toPayload()).toEqual(textPayload('the gist'));
  });

  it('decodes float16 KV layers into Float32Array views', async () => {
    gateway = await startFakeGateway(() => ok(kvPayload(4, 8)));
    const condensed = await clientFor(gateway).condense('context', { format: 'kv' });
    if (condensed.format !== 'kv') throw new Error(`got ${condensed.format}`);
    expect(condensed.layers).toHaveLength(2);
    expect(condensed.originalLength).toBe(8);
    const key = condensed.layers[1]!.key;
    expect(key.shape).toEqual([1, 2, 4, 4]);
    expect(key.data).toBeInstanceOf(Float32Array);
    expect(key.data[0]).toBe(1);
    expect(key.data[5]).toBeCloseTo(1 + 5 / 64, 3);
    expect(condensed.layers[0]!.value.data[0]).toBe(0.5);
    expect(condensed.stats.compressionRatio).toBe(2);
  });

  it('refuses a wrong API key with CLIENT_UNAUTHORIZED and never retries it', async () => {
    gateway = await startFakeGateway(() => ok(textPayload()));
    const error = await failure(clientFor(gateway, 'sk-wrong').condense('context'));
    expect(error.code).toBe('CLIENT_UNAUTHORIZED');
    expect(error.status).toBe(401);
    expect(error.message).toContain('bad API key');
    expect(gateway.hits).toBe(1);
  });

  it('does not retry a 4xx', async () => {
    gateway = await startFakeGateway(() => ({
      status: 429,
      body: { error: { code: 'RATE_LIMITED', message: 'slow down' } },
    }));
    const error = await failure(clientFor(gateway).condense('context'));
    expect(error.code).toBe('CLIENT_REJECTED');
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(false);
    expect(gateway.requests).toHaveLength(1);
  });

  it('retries 503 and 500 with backoff until an answer comes', async () => {
    gateway = await startFakeGateway((_body, index) =>
      index === 0
        ? { status: 503, body: { error: 'no miner available' } }
        : index === 1
          ? { status: 500, body: 'boom', raw: true }
          : ok(textPayload()),
    );
    const condensed = await clientFor(gateway).condense('context');
    expect(condensed.format).toBe('text');
    expect(gateway.requests).toHaveLength(3);
  });

  it('maps the gateway’s GATEWAY_NO_MINER refusal to CLIENT_NO_MINERS after retrying', async () => {
    gateway = await startFakeGateway(() => ({
      status: 503,
      body: { error: { code: 'GATEWAY_NO_MINER', message: 'No miner of tier research.' } },
    }));
    const error = await failure(clientFor(gateway).condense('context'));
    expect(error.code).toBe('CLIENT_NO_MINERS');
    expect(gateway.requests).toHaveLength(1 + fastRetry.retries);
  });

  it('gives up after the configured retries with CLIENT_UNAVAILABLE', async () => {
    gateway = await startFakeGateway(() => ({ status: 502, body: { message: 'bad gateway' } }));
    const error = await failure(clientFor(gateway).condense('context'));
    expect(error.code).toBe('CLIENT_UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(gateway.requests).toHaveLength(1 + fastRetry.retries);
  });

  it('reports a dead endpoint as CLIENT_UNAVAILABLE after retrying', async () => {
    gateway = await startFakeGateway(() => ok(textPayload()));
    const { url } = gateway;
    await gateway.close();
    gateway = undefined;
    client = new SignalClient({
      gateway: { url, apiKey: 'k' },
      tiers: TEST_TIERS,
      retry: fastRetry,
    });
    const error = await failure(client.condense('context'));
    expect(error.code).toBe('CLIENT_UNAVAILABLE');
    expect(error.details).toBe('ECONNREFUSED');
  });

  it('times out with CLIENT_TIMEOUT when no answer comes within timeoutMs', async () => {
    // The answer would come after the test's own timeout: passing means the client gave up.
    gateway = await startFakeGateway(() => ({ ...ok(textPayload()), delayMs: 600_000 }));
    const error = await failure(clientFor(gateway).condense('context', { timeoutMs: 150 }));
    expect(error.code).toBe('CLIENT_TIMEOUT');
  });

  it('stops at once with CLIENT_ABORTED when the caller aborts', async () => {
    const controller = new AbortController();
    // Aborts once the gateway holds the request, however long the request took to get there.
    gateway = await startFakeGateway(() => {
      controller.abort();
      return { ...ok(textPayload()), delayMs: 600_000 };
    });
    const error = await failure(
      clientFor(gateway).condense('context', { signal: controller.signal }),
    );
    expect(error.code).toBe('CLIENT_ABORTED');
    expect(gateway.requests).toHaveLength(1);
  });

  it.each([
    ['a body that is not JSON', { status: 200, body: '{oops', raw: true }, 'not JSON'],
    [
      'a missing miner uid',
      { status: 200, body: { payload: textPayload(), latency_ms: 1 } },
      'miner_uid',
    ],
    [
      'more condensed than original tokens',
      ok({ ...textPayload(), condensed_tokens: 50 }),
      'condensed_tokens',
    ],
    ['a payload for another model', ok({ ...textPayload(), model: 'other/model' }), 'other/model'],
    [
      'a KV buffer that does not decode',
      ok({
        ...kvPayload(),
        layers: kvPayload().layers.map((layer) => ({
          ...layer,
          key: {
            ...layer.key,
            buffer: 'A'.repeat((layer.key as { buffer: string }).buffer.length),
          },
        })),
      }),
      'layers[0].key',
    ],
  ] as const)(
    'refuses %s with CLIENT_INVALID_RESPONSE, without retrying',
    async (_name, answer, detail) => {
      gateway = await startFakeGateway(() => answer as ScriptedAnswer);
      const error = await failure(clientFor(gateway).condense('context'));
      expect(error.code).toBe('CLIENT_INVALID_RESPONSE');
      expect(error.message).toContain(detail);
      expect(gateway.requests).toHaveLength(1);
    },
  );

  it('refuses an answer in another format than the one asked for', async () => {
    gateway = await startFakeGateway(() => ok(textPayload()));
    const error = await failure(clientFor(gateway).condense('context', { format: 'kv' }));
    expect(error.code).toBe('CLIENT_INVALID_RESPONSE');
    expect(error.details).toContain('"kv" was asked for');
  });

  it('refuses bad calls locally with CLIENT_INVALID_REQUEST', async () => {
    gateway = await startFakeGateway(() => ok(textPayload()));
    const c = clientFor(gateway);
    expect((await failure(c.condense('x'.repeat(401)))).code).toBe('CLIENT_INVALID_REQUEST');
    expect((await failure(c.condense('x', { tier: 'nope' }))).message).toContain('Unknown tier');
    expect((await failure(c.condense('x', { targetModel: 'big/model' }))).code).toBe(
      'CLIENT_INVALID_REQUEST',
    );
    expect((await failure(c.condense(''))).code).toBe('CLIENT_INVALID_REQUEST');
    expect(gateway.hits).toBe(0);
  });
});

describe('options', () => {
  it('refuses both modes at once, at compile time and at run time', () => {
    const both = {
      gateway: { url: 'http://127.0.0.1:1', apiKey: 'k' },
      direct: { signer: { address: 'x', sign: () => new Uint8Array(64) }, netuid: 1 },
    };
    // @ts-expect-error: exactly one mode may be set
    const make = () => new SignalClient(both);
    expect(make).toThrow(expect.objectContaining({ code: 'CLIENT_INVALID_OPTIONS' }));
  });

  it('names the bad field of a malformed option', () => {
    const make = () => new SignalClient({ gateway: { url: 'ftp://x', apiKey: 'k' } });
    expect(make).toThrow(expect.objectContaining({ code: 'CLIENT_INVALID_OPTIONS' }));
    expect(make).toThrow(/url/);
  });

  it('checks the tier table with core’s rules', () => {
    const make = () =>
      new SignalClient({
        gateway: { url: 'http://127.0.0.1:1', apiKey: 'k' },
        tiers: [{ ...TEST_TIERS[0]!, incentive: 0.5 }],
      });
    expect(make).toThrow(/sum to 1/);
  });
});

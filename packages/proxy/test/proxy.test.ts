import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignalClient } from '@signal/client';
import { FileGatewayStore } from '@signal/gateway';
import {
  apiKeyFileAuth,
  type RunningProxy,
  type StartProxyOptions,
  startProxy,
} from '@signal/proxy';
import OpenAI from 'openai';
import { pino } from 'pino';
import {
  answerFor,
  type OpenAIUpstream,
  startOpenAIUpstream,
  UPSTREAM_KEY,
} from './helpers/openaiUpstream';
import {
  everyOtherWord,
  MODEL,
  type ScriptedGateway,
  startScriptedGateway,
} from './helpers/scriptedGateway';
import { document, testTiers } from './helpers/testTiers';

const quiet = pino({ level: 'silent' });
const open: { close(): Promise<unknown> }[] = [];

afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

async function upstream(...args: Parameters<typeof startOpenAIUpstream>): Promise<OpenAIUpstream> {
  const started = await startOpenAIUpstream(...args);
  open.push(started);
  return started;
}

async function gateway(...args: Parameters<typeof startScriptedGateway>): Promise<ScriptedGateway> {
  const started = await startScriptedGateway(...args);
  open.push(started);
  return started;
}

async function proxyFor(
  up: OpenAIUpstream,
  gw: ScriptedGateway | undefined,
  extra: Partial<StartProxyOptions> = {},
): Promise<RunningProxy> {
  const tiers = extra.tiers ?? testTiers();
  const condenser = gw
    ? new SignalClient({
        gateway: { url: gw.url, apiKey: gw.apiKey },
        tiers,
        retry: { retries: 0 },
        timeoutMs: 5_000,
      })
    : undefined;
  if (condenser) open.push(condenser);
  const proxy = await startProxy({
    upstream: { baseUrl: up.url },
    condenser,
    tiers,
    policy: { minTokens: 50 },
    logger: quiet,
    ...extra,
  });
  open.push(proxy);
  return proxy;
}

function openai(proxy: RunningProxy, apiKey = 'sk-caller'): OpenAI {
  return new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey, maxRetries: 0 });
}

const LONG = document(400);

describe('signal proxy: condensing', () => {
  it('condenses a long message as text, keeps the system prompt and the question, and reports the counts', async () => {
    const up = await upstream();
    const gw = await gateway();
    const proxy = await proxyFor(up, gw);
    const { data, response } = await openai(proxy)
      .chat.completions.create({
        model: 'upstream-model',
        messages: [
          { role: 'system', content: `You answer questions. ${document(80, 's')}` },
          { role: 'user', content: LONG },
          { role: 'user', content: 'What is the last word?' },
        ],
      })
      .withResponse();
    expect(gw.calls).toHaveLength(1);
    expect(gw.calls[0]).toMatchObject({
      context: LONG,
      tier: 'research',
      target_model: MODEL,
      format: 'text',
    });
    const sent = up.requests[0]!.body as { messages: { role: string; content: string }[] };
    expect(sent.messages[0]!.content).toContain('You answer questions.');
    expect(sent.messages[0]!.content).toHaveLength(
      `You answer questions. ${document(80, 's')}`.length,
    );
    expect(sent.messages[1]).toEqual({ role: 'user', content: everyOtherWordText(LONG) });
    expect(sent.messages[2]).toEqual({ role: 'user', content: 'What is the last word?' });
    // The answer and its usage are the upstream's, untouched.
    expect(data.choices[0]!.message.content).toBe(answerFor(sent));
    expect(data.usage?.completion_tokens).toBe(3);
    expect(response.headers.get('x-signal-condense')).toBe('condensed');
    expect(response.headers.get('x-signal-original-tokens')).toBe('400');
    expect(response.headers.get('x-signal-condensed-tokens')).toBe('200');
    expect(Number(response.headers.get('x-signal-condense-ms'))).toBeGreaterThanOrEqual(0);
  });

  it('streams the upstream answer through, usage chunk included', async () => {
    const up = await upstream();
    const gw = await gateway();
    const proxy = await proxyFor(up, gw);
    const stream = await openai(proxy).chat.completions.create({
      model: 'upstream-model',
      messages: [
        { role: 'user', content: LONG },
        { role: 'user', content: 'Summarise.' },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    const sent = up.requests[0]!.body!;
    expect(sent.stream).toBe(true);
    expect(text).toBe(answerFor(sent));
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBe(3);
  });

  it('condenses a document asked about twice only once (content-hash cache)', async () => {
    const up = await upstream();
    const gw = await gateway();
    const proxy = await proxyFor(up, gw);
    const ask = (question: string) =>
      openai(proxy)
        .chat.completions.create({
          model: 'm',
          messages: [
            { role: 'user', content: LONG },
            { role: 'user', content: question },
          ],
        })
        .withResponse();
    const first = await ask('first question');
    const second = await ask('second question');
    expect(gw.calls).toHaveLength(1);
    expect(first.response.headers.get('x-signal-condense')).toBe('condensed');
    expect(second.response.headers.get('x-signal-condense')).toBe('cached');
    expect(second.response.headers.get('x-signal-condensed-tokens')).toBe('200');
    expect((up.requests[1]!.body as { messages: { content: string }[] }).messages[0]!.content).toBe(
      everyOtherWordText(LONG),
    );
    expect(proxy.cache.size).toBe(1);
    expect(proxy.cache.bytes).toBeGreaterThan(0);
  });

  it('forwards short requests untouched and does not call the subnet', async () => {
    const up = await upstream();
    const gw = await gateway();
    const proxy = await proxyFor(up, gw);
    const messages = [{ role: 'user' as const, content: 'hello there' }];
    const { response } = await openai(proxy)
      .chat.completions.create({ model: 'm', messages, temperature: 0.2, seed: 7 })
      .withResponse();
    expect(gw.calls).toHaveLength(0);
    expect(up.requests[0]!.body).toMatchObject({ model: 'm', messages, temperature: 0.2, seed: 7 });
    expect(response.headers.get('x-signal-condense')).toBe('skipped');
  });

  it('condenses the last user turn too when the policy says so', async () => {
    const up = await upstream();
    const gw = await gateway();
    const proxy = await proxyFor(up, gw, { policy: { minTokens: 50, keepLastUser: false } });
    await openai(proxy).chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: LONG }],
    });
    expect(gw.calls).toHaveLength(1);
    expect((up.requests[0]!.body as { messages: { content: string }[] }).messages[0]!.content).toBe(
      everyOtherWordText(LONG),
    );
  });

  it('cuts a part longer than the tier takes into pieces that each fit', async () => {
    const up = await upstream();
    const gw = await gateway();
    const proxy = await proxyFor(up, gw, { tiers: testTiers(600) });
    const long = document(600);
    const { response } = await openai(proxy)
      .chat.completions.create({
        model: 'm',
        messages: [
          { role: 'user', content: long },
          { role: 'user', content: 'q' },
        ],
      })
      .withResponse();
    expect(gw.calls.length).toBeGreaterThan(1);
    for (const call of gw.calls) expect(call.context.length).toBeLessThanOrEqual(600);
    expect(gw.calls.map((call) => call.context).join('')).toBe(long);
    expect(response.headers.get('x-signal-original-tokens')).toBe('600');
  });

  it('moves the long parts into signal_condensed in kv format', async () => {
    const up = await upstream();
    const gw = await gateway((call) => ({
      status: 200,
      body: { payload: kvPayload(call.target_model!), miner_uid: 2, latency_ms: 1 },
    }));
    const proxy = await proxyFor(up, gw, { policy: { minTokens: 50, format: 'kv' } });
    const { response } = await openai(proxy)
      .chat.completions.create({
        model: 'm',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: LONG },
          { role: 'user', content: 'q' },
        ],
      })
      .withResponse();
    expect(gw.calls[0]!.format).toBe('kv');
    const sent = up.requests[0]!.body as {
      messages: unknown[];
      signal_condensed: { format: string };
    };
    expect(sent.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'q' },
    ]);
    expect(sent.signal_condensed.format).toBe('kv');
    expect(response.headers.get('x-signal-condensed-tokens')).toBe('2');
  });
});

describe('signal proxy: failure is never worse than no proxy', () => {
  const ask = (proxy: RunningProxy) =>
    openai(proxy)
      .chat.completions.create({
        model: 'm',
        messages: [
          { role: 'user', content: LONG },
          { role: 'user', content: 'q' },
        ],
      })
      .withResponse();

  it('forwards the original when the subnet is down', async () => {
    const up = await upstream();
    const gw = await gateway();
    const proxy = await proxyFor(up, gw);
    await gw.close();
    const { data, response } = await ask(proxy);
    expect((up.requests[0]!.body as { messages: { content: string }[] }).messages[0]!.content).toBe(
      LONG,
    );
    expect(data.choices[0]!.message.content).toBe(answerFor(up.requests[0]!.body!));
    expect(response.headers.get('x-signal-condense')).toBe('fallback');
    expect(await proxy.metrics.fallbacks.get()).toMatchObject({
      values: [expect.objectContaining({ labels: { reason: 'unavailable' }, value: 1 })],
    });
  });

  it('forwards the original when the subnet answers garbage', async () => {
    const up = await upstream();
    const gw = await gateway(() => ({
      status: 200,
      body: { payload: { format: 'text', text: 42 }, miner_uid: 1, latency_ms: 1 },
    }));
    const proxy = await proxyFor(up, gw);
    const { response } = await ask(proxy);
    expect(response.headers.get('x-signal-condense')).toBe('fallback');
    expect((up.requests[0]!.body as { messages: { content: string }[] }).messages[0]!.content).toBe(
      LONG,
    );
    const reasons = (await proxy.metrics.fallbacks.get()).values.map((v) => v.labels.reason);
    expect(reasons).toEqual(['invalid_response']);
  });

  it('forwards the original when the subnet is slower than the condense timeout', async () => {
    const up = await upstream();
    const gw = await gateway((call) => ({ ...everyOtherWord(call), delayMs: 2_000 }));
    const proxy = await proxyFor(up, gw, { condenseTimeoutMs: 100 });
    const { response } = await ask(proxy);
    expect(response.headers.get('x-signal-condense')).toBe('fallback');
    const reasons = (await proxy.metrics.fallbacks.get()).values.map((v) => v.labels.reason);
    expect(reasons).toEqual(['timeout']);
  });

  it('answers 502 in OpenAI shape when condensing is required and fails', async () => {
    const up = await upstream();
    const gw = await gateway();
    const proxy = await proxyFor(up, gw, { requireCondense: true });
    await gw.close();
    const error = await ask(proxy).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(502);
    expect(apiError.code).toBe('condense_unavailable');
    expect(apiError.type).toBe('server_error');
    expect(up.requests).toHaveLength(0);
  });

  it('forwards the original when the upstream refuses the rewritten request', async () => {
    const up = await upstream({ kind: 'refuse-rewrite', marker: 'w399' });
    const gw = await gateway();
    const proxy = await proxyFor(up, gw);
    const { data, response } = await ask(proxy);
    expect(up.requests).toHaveLength(2);
    expect((up.requests[1]!.body as { messages: { content: string }[] }).messages[0]!.content).toBe(
      LONG,
    );
    expect(data.choices[0]!.message.content).toBe(answerFor(up.requests[1]!.body!));
    expect(response.headers.get('x-signal-condense')).toBe('fallback');
  });

  it('gives a streaming client a clean error when the upstream dies mid-stream', async () => {
    const up = await upstream({ kind: 'die-mid-stream' });
    const proxy = await proxyFor(up, undefined);
    const stream = await openai(proxy).chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const received: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(received).toEqual(['', 'saw']);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_stream_broken');
  });

  it('aborts the upstream request when the client disconnects', async () => {
    const up = await upstream({ kind: 'hang' });
    const proxy = await proxyFor(up, undefined);
    const controller = new AbortController();
    const pending = openai(proxy)
      .chat.completions.create(
        { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true },
        { signal: controller.signal },
      )
      .catch((e: unknown) => e);
    while (up.requests.length === 0) await new Promise((r) => setImmediate(r));
    controller.abort();
    await up.aborted;
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('signal proxy: upstream errors pass through', () => {
  const hi = (proxy: RunningProxy, apiKey?: string) =>
    openai(proxy, apiKey)
      .chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
      .then(
        () => undefined,
        (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
      );

  it('passes the caller’s key through and relays the upstream’s 401 as it was', async () => {
    const up = await upstream({ kind: 'answer' }, { requireKey: true });
    const proxy = await proxyFor(up, undefined);
    const refused = await hi(proxy, 'sk-wrong');
    expect(refused?.status).toBe(401);
    expect(refused?.code).toBe('invalid_api_key');
    expect(refused?.message).toContain('Incorrect API key provided.');
    expect(await hi(proxy, UPSTREAM_KEY)).toBeUndefined();
    expect(up.requests[1]!.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
  });

  it('relays a 429 with its Retry-After', async () => {
    const body = JSON.stringify({
      error: {
        message: 'Rate limit reached',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
    const up = await upstream({
      kind: 'error',
      status: 429,
      body,
      headers: { 'retry-after': '7' },
    });
    const proxy = await proxyFor(up, undefined);
    const refused = await hi(proxy);
    expect(refused?.status).toBe(429);
    expect(refused?.code).toBe('rate_limit_exceeded');
    expect(refused?.headers?.get('retry-after')).toBe('7');
  });

  it('wraps a non-JSON upstream error in OpenAI’s shape with the same status', async () => {
    const up = await upstream({
      kind: 'error',
      status: 503,
      body: '<html>bad gateway</html>',
      contentType: 'text/html',
    });
    const proxy = await proxyFor(up, undefined);
    const refused = await hi(proxy);
    expect(refused?.status).toBe(503);
    expect(refused?.code).toBe('upstream_503');
    expect(refused?.message).toContain('<html>bad gateway</html>');
  });

  it('answers 502 when the upstream cannot be reached', async () => {
    const up = await upstream();
    const proxy = await proxyFor(up, undefined);
    await up.close();
    const refused = await hi(proxy);
    expect(refused?.status).toBe(502);
    expect(refused?.code).toBe('upstream_unreachable');
  });

  it('forwards completions and the model list', async () => {
    const up = await upstream();
    const proxy = await proxyFor(up, undefined);
    const client = openai(proxy);
    const completion = await client.completions.create({ model: 'm', prompt: 'once upon' });
    expect(completion.object).toBe('text_completion');
    expect(up.requests[0]).toMatchObject({
      path: '/v1/completions',
      body: { prompt: 'once upon' },
    });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['upstream-model']);
  });
});

describe('signal proxy: its own refusals', () => {
  async function raw(proxy: RunningProxy, path: string, init: RequestInit = {}) {
    const response = await fetch(`${proxy.url}${path}`, init);
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as { error: Record<string, unknown> },
    };
  }
  const post = (body: string) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

  it.each([
    ['not JSON', '{"model":', null, 'invalid_json'],
    ['not an object', '[1,2]', null, 'invalid_request_body'],
    [
      'no model',
      JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }),
      'model',
      'invalid_value',
    ],
    ['no messages', JSON.stringify({ model: 'm' }), 'messages', 'invalid_value'],
    ['empty messages', JSON.stringify({ model: 'm', messages: [] }), 'messages', 'invalid_value'],
    [
      'a bad role',
      JSON.stringify({ model: 'm', messages: [{ role: 'robot', content: 'x' }] }),
      'messages[0].role',
      'invalid_value',
    ],
    [
      'bad content',
      JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 5 }] }),
      'messages[0].content',
      'invalid_value',
    ],
    [
      'temperature out of range',
      JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 3 }),
      'temperature',
      'invalid_value',
    ],
    [
      'max_tokens 0',
      JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 0 }),
      'max_tokens',
      'invalid_value',
    ],
    [
      'five stop strings',
      JSON.stringify({
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        stop: ['a', 'b', 'c', 'd', 'e'],
      }),
      'stop',
      'invalid_value',
    ],
    [
      'stream_options without stream',
      JSON.stringify({
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        stream_options: { include_usage: true },
      }),
      'stream_options',
      'invalid_value',
    ],
  ])('refuses %s with a 400 naming the field', async (_name, body, param, code) => {
    const up = await upstream();
    const proxy = await proxyFor(up, undefined);
    const answer = await raw(proxy, '/v1/chat/completions', post(body));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param, code });
    if (param) expect(String(answer.body.error.message)).toContain(param);
    expect(up.requests).toHaveLength(0);
  });

  it('refuses a bad completions prompt with a 400 naming it', async () => {
    const up = await upstream();
    const proxy = await proxyFor(up, undefined);
    const answer = await raw(
      proxy,
      '/v1/completions',
      post(JSON.stringify({ model: 'm', prompt: { a: 1 } })),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.param).toBe('prompt');
  });

  it('refuses an oversized body with a 413', async () => {
    const up = await upstream();
    const proxy = await proxyFor(up, undefined, { maxBodyBytes: 1_000 });
    const big = JSON.stringify({
      model: 'm',
      messages: [{ role: 'user', content: 'x'.repeat(2_000) }],
    });
    const answer = await raw(proxy, '/v1/chat/completions', post(big));
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({
      code: 'request_too_large',
      type: 'invalid_request_error',
    });
  });

  it('answers unknown routes with 404 and wrong methods with 405', async () => {
    const up = await upstream();
    const proxy = await proxyFor(up, undefined);
    expect((await raw(proxy, '/v1/embeddings', post('{}'))).status).toBe(404);
    expect((await raw(proxy, '/v1/chat/completions')).status).toBe(405);
  });

  it('checks callers against a gateway key file: 401 for a bad key, 429 with Retry-After when spent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'signal-proxy-keys-'));
    open.push({ close: () => rm(dir, { recursive: true, force: true }) });
    const store = await FileGatewayStore.open(dir, { role: 'admin' });
    const { key } = await store.createKey({
      name: 'app',
      limits: { requestsPerMinute: 2, tokensPerDay: null },
    });
    await store.close();
    const auth = await apiKeyFileAuth(dir);
    open.push(auth);
    const up = await upstream({ kind: 'answer' }, { requireKey: true });
    const proxy = await proxyFor(up, undefined, {
      auth: { mode: 'keys', auth },
      upstream: { baseUrl: up.url, apiKey: UPSTREAM_KEY },
    });
    const call = (apiKey: string) =>
      openai(proxy, apiKey)
        .chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
        .then(
          () => undefined,
          (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
        );
    const wrong = await call('sig_000000000000_notthekeynotthekeynotthekeynotthekeynotthek');
    expect(wrong?.status).toBe(401);
    expect(wrong?.code).toBe('invalid_api_key');
    expect(await call(key)).toBeUndefined();
    // The upstream got the proxy's own key, never the caller's.
    expect(up.requests[0]!.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(await call(key)).toBeUndefined();
    const spent = await call(key);
    expect(spent?.status).toBe(429);
    expect(spent?.code).toBe('rate_limit_exceeded');
    expect(Number(spent?.headers?.get('retry-after'))).toBeGreaterThan(0);
    const missing = await raw(proxy, '/v1/models');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('reports health and metrics without a key', async () => {
    const up = await upstream();
    const gw = await gateway();
    const proxy = await proxyFor(up, gw);
    const health = await raw(proxy, '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', condensing: 'text', tier: 'research' });
    await openai(proxy).chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
    });
    const metrics = await (await fetch(`${proxy.url}/metrics`)).text();
    expect(metrics).toContain('signal_proxy_condense_total{outcome="skipped"} 1');
    expect(metrics).toContain('signal_proxy_cache_entries 0');
    expect(metrics).toContain(
      'signal_proxy_requests_total{route="/v1/chat/completions",status="200"} 1',
    );
  });
});

function everyOtherWordText(text: string): string {
  return text
    .split(/\s+/)
    .filter((_, i) => i % 2 === 0)
    .join(' ');
}

function kvPayload(model: string) {
  const { encodeTensor } = require('@signal/core') as typeof import('@signal/core');
  const tensor = () =>
    encodeTensor({ dtype: 'float16', shape: [1, 1, 2, 4], data: new Float32Array(8).fill(0.5) });
  return {
    format: 'kv',
    model,
    adapter: null,
    original_tokens: 100,
    condensed_tokens: 2,
    original_length: 100,
    kept: 2,
    layers: [{ key: tensor(), value: tensor() }],
  };
}

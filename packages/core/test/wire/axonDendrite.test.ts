import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Axon } from '../../src/wire/axon/Axon';
import type { AxonRequestEvent } from '../../src/wire/axon/AxonHandlers';
import { AxonRefusal } from '../../src/wire/axon/AxonRefusal';
import { PING_SPEC } from '../../src/wire/axon/pingSpec';
import { Dendrite } from '../../src/wire/dendrite/Dendrite';
import type { Signer } from '../../src/wire/signature';
import {
  Echo,
  rawPost,
  signedRequest,
  signers,
  sleep,
  Tokens,
  Unattached,
} from './loopbackFixtures';

let minerKey: Signer;
let validatorKey: Signer;
let strangerKey: Signer;
let axon: Axon;
let dendrite: Dendrite;
let target: { ip: string; port: number; hotkey: string };
const events: AxonRequestEvent[] = [];

beforeAll(async () => {
  [minerKey, validatorKey, strangerKey] = await signers();
  axon = new Axon({
    signer: minerKey,
    maxBodyBytes: 4096,
    concurrency: 4,
    maxQueue: 64,
    onRequest: (e) => events.push(e),
  });
  axon.attach(Echo, {
    forward: async (synapse, context) => {
      if (synapse.delay_ms > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, synapse.delay_ms);
          context.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return { ...synapse, reply: synapse.text.toUpperCase() };
    },
    blacklist: (_synapse, context) =>
      context.dendrite.hotkey === strangerKey.address
        ? { blacklisted: true, reason: 'unregistered hotkey' }
        : { blacklisted: false },
  });
  axon.attach(Tokens, {
    blacklist: (_synapse, context) => ({
      blacklisted: context.dendrite.hotkey === strangerKey.address,
      reason: 'stranger',
    }),
    stream: async function* (synapse) {
      for (const word of synapse.prompt.split(' ')) {
        yield `${word}\n`;
        await sleep(5);
      }
    },
  });
  target = await axon.listen({ host: '127.0.0.1', port: 0 });
  dendrite = new Dendrite({ signer: validatorKey, externalIp: '127.0.0.1' });
});

afterAll(async () => {
  await dendrite.close();
  await axon.close();
});

describe('Axon and Dendrite on loopback', () => {
  it('answers 200 with the forward result and lowercase axon headers', async () => {
    const result = await dendrite.call(target, Echo, { text: 'héllo', delay_ms: 0, reply: null });
    expect(result.ok).toBe(true);
    expect(result.status).toBe(200);
    expect(result.synapse.reply).toBe('HÉLLO');
    expect(result.axon.status_code).toBe(200);
    expect(result.axon.status_message).toBe('Success');
    expect(result.axon.hotkey).toBe(minerKey.address);
    expect(typeof result.axon.process_time).toBe('number');
    expect(result.dendrite.status_code).toBe(200);
    expect(result.dendrite.hotkey).toBe(validatorKey.address);
    expect(
      events.some(
        (e) => e.synapse === 'Echo' && e.status === 200 && e.hotkey === validatorKey.address,
      ),
    ).toBe(true);
  });

  it('serves /Synapse as a ping', async () => {
    const result = await dendrite.call(target, PING_SPEC, {});
    expect(result.status).toBe(200);
    expect(result.axon.hotkey).toBe(minerKey.address);
  });

  it('takes many concurrent requests from one dendrite without spurious 401s', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        dendrite.call(target, Echo, { text: `n${i}`, delay_ms: 0, reply: null }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(new Array(40).fill(200));
    expect(results.map((r) => r.synapse.reply)).toEqual(results.map((_, i) => `N${i}`));
  });

  it('forward() queries many axons with bounded concurrency, keeping order', async () => {
    const dead = { ...target, port: await closedPort() };
    const results = await dendrite.forward(
      [target, dead, target],
      Echo,
      { text: 'f', delay_ms: 0, reply: null },
      { concurrency: 2, timeout: 5 },
    );
    expect(results.map((r) => r.status)).toEqual([200, 503, 200]);
    expect(results[1]?.message).toContain(`Service unavailable at 127.0.0.1:${dead.port}/Echo`);
  });

  it('401 for a bad signature', async () => {
    const { headers, body } = await signedRequest(
      validatorKey,
      minerKey.address,
      { text: 'x' },
      { signature: `0x${'11'.repeat(64)}`, uuid: 'bad-sig' },
    );
    const response = await rawPost(target.port, '/Echo', headers, body);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text).message).toContain('Signature mismatch');
    expect(response.headers.bt_header_axon_status_code).toBe('401');
  });

  it('401 for a signature over another body (tampering)', async () => {
    const signed = await signedRequest(
      validatorKey,
      minerKey.address,
      { text: 'x' },
      { uuid: 'tamper' },
    );
    const other = await signedRequest(
      validatorKey,
      minerKey.address,
      { text: 'y' },
      { uuid: 'tamper' },
    );
    const response = await rawPost(target.port, '/Echo', signed.headers, other.body);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text).message).toContain('Hash mismatch');
  });

  it('401 for a missing signature, which Python would have let through', async () => {
    const { headers, body } = await signedRequest(
      validatorKey,
      minerKey.address,
      { text: 'x' },
      { omitSignature: true, uuid: 'unsigned' },
    );
    expect(headers.bt_header_dendrite_signature).toBeUndefined();
    const response = await rawPost(target.port, '/Echo', headers, body);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text).message).toContain('bt_header_dendrite_signature');
  });

  it('401 for a replayed nonce', async () => {
    const { headers, body } = await signedRequest(
      validatorKey,
      minerKey.address,
      { text: 'x' },
      { uuid: 'replay' },
    );
    expect((await rawPost(target.port, '/Echo', headers, body)).status).toBe(200);
    const replay = await rawPost(target.port, '/Echo', headers, body);
    expect(replay.status).toBe(401);
    expect(JSON.parse(replay.text).message).toContain('a newer one was last processed');
  });

  it('401 for a stale first nonce (older than 4 s + timeout)', async () => {
    const stale = BigInt(Date.now() - 20_000) * 1_000_000n;
    const { headers, body } = await signedRequest(
      validatorKey,
      minerKey.address,
      { text: 'x' },
      { nonce: stale, uuid: 'stale', timeout: 12 },
    );
    const response = await rawPost(target.port, '/Echo', headers, body);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text).message).toContain('Nonce is too old');
  });

  it('403 when the blacklist refuses', async () => {
    const stranger = new Dendrite({ signer: strangerKey });
    const result = await stranger.call(target, Echo, { text: 'x', delay_ms: 0, reply: null });
    await stranger.close();
    expect(result.status).toBe(403);
    expect(result.message).toBe('Forbidden. Key is blacklisted: unregistered hotkey.');
  });

  it('404 for an unknown synapse', async () => {
    const result = await dendrite.call(target, Unattached, { text: 'x', delay_ms: 0, reply: null });
    expect(result.status).toBe(404);
    expect(result.message).toContain("Synapse name 'Unattached' not found");
  });

  it('400 for malformed JSON and for a schema violation, naming the field', async () => {
    const bad = await signedRequest(
      validatorKey,
      minerKey.address,
      { text: 'x' },
      { body: '{"text": ' },
    );
    const malformed = await rawPost(target.port, '/Echo', bad.headers, bad.body);
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text).message).toContain('not valid JSON');
    const wrong = await signedRequest(
      validatorKey,
      minerKey.address,
      { text: 'x' },
      { body: '{"text": 5}' },
    );
    const violation = await rawPost(target.port, '/Echo', wrong.headers, wrong.body);
    expect(violation.status).toBe(400);
    expect(JSON.parse(violation.text).message).toContain('Field "text"');
  });

  it('408 when forward is slower than the timeout, from the axon and on the client', async () => {
    const { headers, body } = await signedRequest(
      validatorKey,
      minerKey.address,
      { text: 'slow', delay_ms: 2000 },
      { timeout: 0.3, uuid: 'slow' },
    );
    const fromAxon = await rawPost(target.port, '/Echo', headers, body);
    expect(fromAxon.status).toBe(408);
    expect(JSON.parse(fromAxon.text).message).toContain('timeout');
    const fromClient = await dendrite.call(
      target,
      Echo,
      { text: 'slow', delay_ms: 2000, reply: null },
      { timeout: 0.3 },
    );
    expect(fromClient.status).toBe(408);
  });

  it('413 for an oversized body', async () => {
    const result = await dendrite.call(target, Echo, {
      text: 'x'.repeat(10_000),
      delay_ms: 0,
      reply: null,
    });
    expect(result.status).toBe(413);
  });

  it('431 for an oversized header block', async () => {
    const { headers, body } = await signedRequest(
      validatorKey,
      minerKey.address,
      { text: 'x' },
      { uuid: 'big-headers' },
    );
    const response = await rawPost(
      target.port,
      '/Echo',
      { ...headers, 'x-padding': 'p'.repeat(20_000) },
      body,
    );
    expect(response.status).toBe(431);
  });

  it('422 on the client for a garbage response, 503 for a dead port, 499 on abort', async () => {
    const garbage = await listenRaw((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>definitely not a synapse');
    });
    const port = (garbage.address() as AddressInfo).port;
    const result = await dendrite.call({ ...target, port }, Echo, {
      text: 'x',
      delay_ms: 0,
      reply: null,
    });
    expect(result.status).toBe(422);
    expect(result.message).toContain('Failed to parse response');
    await new Promise((resolve) => garbage.close(resolve));

    const dead = await dendrite.call({ ...target, port: await closedPort() }, Echo, {
      text: 'x',
      delay_ms: 0,
      reply: null,
    });
    expect(dead.status).toBe(503);

    const controller = new AbortController();
    const pending = dendrite.call(
      target,
      Echo,
      { text: 'x', delay_ms: 1000, reply: null },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    expect((await pending).status).toBe(499);
  });

  it('refuses an oversized response with 422', async () => {
    const small = new Dendrite({ signer: validatorKey, maxResponseBytes: 100 });
    const result = await small.call(target, Echo, {
      text: 'x'.repeat(200),
      delay_ms: 0,
      reply: null,
    });
    await small.close();
    expect(result.status).toBe(422);
    expect(result.message).toContain('exceeds 100 bytes');
  });

  it('streams chunks for a streaming synapse, then the final result', async () => {
    const call = dendrite.stream(target, Tokens, { prompt: 'one two three' });
    const received: string[] = [];
    for await (const chunk of call.chunks) received.push(Buffer.from(chunk).toString('utf8'));
    expect(received.join('')).toBe('one\ntwo\nthree\n');
    const result = await call.result;
    expect(result.status).toBe(200);
    expect(result.axon.status_code).toBe(200);
    expect(result.synapse.prompt).toBe('one two three');
  });

  it('reports a refused stream through the result with no chunks', async () => {
    const stranger = new Dendrite({ signer: strangerKey });
    const call = stranger.stream(target, Tokens, { prompt: 'x' });
    const received: Uint8Array[] = [];
    for await (const chunk of call.chunks) received.push(chunk);
    await stranger.close();
    expect(received).toEqual([]);
    const result = await call.result;
    expect(result.status).toBe(403);
    expect(result.message).toContain('stranger');
  });
});

describe('Axon and Dendrite faults', () => {
  it('500 when forward throws or returns something that cannot be sent', async () => {
    const faulty = new Axon({ signer: minerKey });
    faulty.attach(Echo, {
      forward: (s) => {
        if (s.text === 'throw') throw new Error('boom');
        if (s.text === 'refuse') throw new AxonRefusal(429, 'Too many requests, slow down.');
        if (s.text === 'invalid') return { ...s, reply: 5 as unknown as string };
        return { ...s, reply: 'ok' };
      },
    });
    const address = await faulty.listen();
    const thrown = await dendrite.call(address, Echo, { text: 'throw', delay_ms: 0, reply: null });
    expect(thrown.status).toBe(500);
    expect(thrown.message).toMatch(/^Internal Server Error #/);
    const invalid = await dendrite.call(address, Echo, {
      text: 'invalid',
      delay_ms: 0,
      reply: null,
    });
    expect(invalid.status).toBe(500);
    expect(invalid.message).toContain('field "reply"');
    await faulty.close();
  });

  it('tells an axon’s own 422 (with its code) from an answer it could not parse', async () => {
    const refusing = new Axon({ signer: minerKey });
    refusing.attach(Echo, {
      forward: () => {
        throw new AxonRefusal(422, 'MINER_TIER_LIMIT: Nothing fits.', {
          reasonCode: 'MINER_TIER_LIMIT',
        });
      },
    });
    const address = await refusing.listen();
    const refused = await dendrite.call(address, Echo, { text: 'x', delay_ms: 0, reply: null });
    await refusing.close();
    expect(refused).toMatchObject({
      ok: false,
      status: 422,
      answered: true,
      code: 'MINER_TIER_LIMIT',
      message: 'MINER_TIER_LIMIT: Nothing fits.',
    });
    const garbled = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"text": ');
    });
    await new Promise<void>((resolve) => garbled.listen(0, '127.0.0.1', resolve));
    const { port } = garbled.address() as AddressInfo;
    const unparsed = await dendrite.call(
      { ip: '127.0.0.1', port, hotkey: minerKey.address },
      Echo,
      { text: 'x', delay_ms: 0, reply: null },
    );
    await new Promise((resolve) => garbled.close(resolve));
    expect(unparsed).toMatchObject({ ok: false, status: 422, answered: false });
    expect(unparsed).not.toHaveProperty('code');
  });

  it('refuses a bad timeout or an invalid synapse before sending anything', async () => {
    await expect(
      dendrite.call(target, Echo, { text: 'x', delay_ms: 0, reply: null }, { timeout: 0 }),
    ).rejects.toThrow('positive number of seconds');
    await expect(
      dendrite.call(target, Echo, { text: 5 as unknown as string, delay_ms: 0, reply: null }),
    ).rejects.toThrow('Field "text" of Echo is invalid.');
  });
});

describe('Axon capacity and shutdown', () => {
  it('503 when the queue is full', async () => {
    const busy = new Axon({ signer: minerKey, concurrency: 1, maxQueue: 1 });
    const { entered, release, gate } = handlerGate();
    busy.attach(Echo, {
      forward: async (s) => {
        await gate();
        return { ...s, reply: 'done' };
      },
    });
    const address = await busy.listen();
    const call = () => dendrite.call(address, Echo, { text: 'q', delay_ms: 0, reply: null });
    // The first request holds the only slot; of the next two, one queues and one is refused.
    const first = call();
    await entered;
    const later = [call(), call()];
    const refused = await Promise.race(later);
    expect(refused.status).toBe(503);
    release();
    const statuses = [await first, ...(await Promise.all(later))].map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 503]);
    await busy.close();
  });

  it('drains in-flight requests on close and refuses new connections after', async () => {
    const draining = new Axon({ signer: minerKey });
    const { entered, release, gate } = handlerGate();
    draining.attach(Echo, {
      forward: async (s) => {
        await gate();
        return { ...s, reply: 'drained' };
      },
    });
    const address = await draining.listen();
    const inflight = dendrite.call(address, Echo, { text: 'd', delay_ms: 0, reply: null });
    // Closes while the request is inside its handler, however long it took to get there.
    await entered;
    const closing = draining.close({ graceMs: 60_000 });
    release();
    await closing;
    const result = await inflight;
    expect(result.status).toBe(200);
    expect(result.synapse.reply).toBe('drained');
    const after = await dendrite.call(address, Echo, { text: 'd', delay_ms: 0, reply: null });
    expect(after.status).toBe(503);
  });
});

/** A handler that signals when first entered and holds every call until released. */
function handlerGate(): { entered: Promise<void>; release: () => void; gate: () => Promise<void> } {
  let onEnter: () => void = () => undefined;
  let onRelease: () => void = () => undefined;
  const entered = new Promise<void>((resolve) => {
    onEnter = resolve;
  });
  const released = new Promise<void>((resolve) => {
    onRelease = resolve;
  });
  return {
    entered,
    release: onRelease,
    gate: () => {
      onEnter();
      return released;
    },
  };
}

function listenRaw(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function closedPort(): Promise<number> {
  const server = await listenRaw(() => undefined);
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

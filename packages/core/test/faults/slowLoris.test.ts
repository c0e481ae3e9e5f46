import { connect, type Socket } from 'node:net';
import { Axon } from '../../src/wire/axon/Axon';
import type { AxonRequestEvent } from '../../src/wire/axon/AxonHandlers';
import { PING_SPEC } from '../../src/wire/axon/pingSpec';
import { Dendrite } from '../../src/wire/dendrite/Dendrite';
import type { Signer } from '../../src/wire/signature';
import { signers } from '../wire/loopbackFixtures';

/*
 * Fault: slow-loris clients on an axon. Some trickle their headers one byte a second, others
 * send complete headers and then a body that never finishes. Each is answered 408 and dropped
 * once the axon's header or request limit passes, and a well-behaved dendrite is served the
 * whole time.
 */
const HEADERS_TIMEOUT_MS = 1_500;
const REQUEST_TIMEOUT_MS = 3_000;
const SLOW_CLIENTS = 8;

let minerKey: Signer;
let validatorKey: Signer;
let axon: Axon;
let dendrite: Dendrite;
let target: { ip: string; port: number; hotkey: string };
const events: AxonRequestEvent[] = [];

beforeAll(async () => {
  [minerKey, validatorKey] = await signers();
  axon = new Axon({
    signer: minerKey,
    headersTimeoutMs: HEADERS_TIMEOUT_MS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    onRequest: (event) => events.push(event),
  });
  const address = await axon.listen({ host: '127.0.0.1', port: 0 });
  target = { ip: '127.0.0.1', port: address.port, hotkey: minerKey.address };
  dendrite = new Dendrite({ signer: validatorKey });
});

afterAll(async () => {
  await dendrite.close();
  await axon.close({ graceMs: 0 });
});

interface SlowClient {
  /** Resolves when the axon closes the connection, with what it answered and what we sent. */
  readonly dropped: Promise<{ answer: string; sent: number }>;
  /** The bytes the client would have sent in full. */
  readonly total: number;
  readonly socket: Socket;
}

/**
 * Opens a raw connection, writes `head` at once, then `trickled` one byte per second until
 * the server hangs up (or the bytes run out, after which it just holds the connection).
 */
function slowClient(port: number, head: string, trickled: string): SlowClient {
  const socket = connect(port, '127.0.0.1');
  let sent = 0;
  let answer = '';
  let timer: NodeJS.Timeout | undefined;
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    answer += chunk;
  });
  socket.once('connect', () => {
    socket.write(head);
    sent = head.length;
    timer = setInterval(() => {
      if (sent - head.length >= trickled.length) return;
      socket.write(trickled[sent - head.length]!);
      sent++;
    }, 1_000);
  });
  const dropped = new Promise<{ answer: string; sent: number }>((resolve) => {
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ answer, sent });
    });
  });
  // A write racing the server's close may fail with EPIPE/ECONNRESET; the close still comes.
  socket.on('error', () => undefined);
  return { dropped, total: head.length + trickled.length, socket };
}

describe('fault: slow-loris clients on the axon', () => {
  it('drops clients that trickle headers at 1 byte/s with 408 at the header timeout, and serves others meanwhile', async () => {
    const slow = Array.from({ length: SLOW_CLIENTS }, () =>
      slowClient(
        target.port,
        'POST /Synapse HTTP/1.1\r\nHost: 127.0.0.1\r\n',
        `x-filler: ${'a'.repeat(200)}\r\n\r\n`,
      ),
    );
    await Promise.all(slow.map((client) => new Promise((ok) => client.socket.once('connect', ok))));

    // While every slow client holds its connection, a real dendrite is served.
    const pings = await Promise.all(
      Array.from({ length: 4 }, () => dendrite.call(target, PING_SPEC, {}, { timeout: 30 })),
    );
    expect(pings.map((ping) => ping.status)).toEqual([200, 200, 200, 200]);

    const outcomes = await Promise.all(slow.map((client) => client.dropped));
    for (const [index, outcome] of outcomes.entries()) {
      expect(outcome.answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      // Dropped long before its headers were complete.
      expect(outcome.sent).toBeLessThan(slow[index]!.total);
    }
    // A header block that never arrived never reached the pipeline.
    expect(events.every((event) => event.status === 200)).toBe(true);

    const after = await dendrite.call(target, PING_SPEC, {}, { timeout: 30 });
    expect(after.status).toBe(200);
  }, 60_000);

  it('drops a client whose body never finishes with 408 at the request timeout, and serves others meanwhile', async () => {
    events.length = 0;
    const body = '{"name":"Synapse","timeout":12.0}';
    const slow = Array.from({ length: SLOW_CLIENTS }, () =>
      slowClient(
        target.port,
        [
          'POST /Synapse HTTP/1.1',
          'Host: 127.0.0.1',
          'Content-Type: application/json',
          `Content-Length: ${body.length + 1_000}`,
          '',
          body.slice(0, 10),
        ].join('\r\n'),
        '',
      ),
    );
    await Promise.all(slow.map((client) => new Promise((ok) => client.socket.once('connect', ok))));
    const pings = await Promise.all(
      Array.from({ length: 4 }, () => dendrite.call(target, PING_SPEC, {}, { timeout: 30 })),
    );
    expect(pings.map((ping) => ping.status)).toEqual([200, 200, 200, 200]);

    const outcomes = await Promise.all(slow.map((client) => client.dropped));
    for (const outcome of outcomes) {
      expect(outcome.answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    }
    const refused = events.filter((event) => event.status !== 200);
    expect(refused).toHaveLength(SLOW_CLIENTS);
    for (const event of refused) {
      expect(event).toMatchObject({ synapse: 'Synapse', status: 408 });
    }
  }, 60_000);

  it('refuses timeouts that are not positive integers or a request limit below the header limit', async () => {
    for (const options of [
      { headersTimeoutMs: 0 },
      { requestTimeoutMs: 1.5 },
      { headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 },
    ]) {
      await expect(new Axon({ signer: minerKey, ...options }).listen()).rejects.toMatchObject({
        code: 'WIRE_SCHEMA',
      });
    }
  });
});

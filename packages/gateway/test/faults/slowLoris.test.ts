import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Dendrite } from '@signal/core';
import {
  FileGatewayStore,
  GatewayMetrics,
  type GatewaySettings,
  type RunningGateway,
  startGateway,
} from '@signal/gateway';
import { pino } from 'pino';
import { CONTEXT, silent, viewOf } from '../support/replicas';
import { devKey, type StubMiner, startStubMiner } from '../support/stubMiner';

/*
 * Fault: slow-loris clients on the gateway. Some trickle their headers one byte a second, one
 * sends nothing at all, others send complete headers and then a body that never finishes.
 * node:http answers each 408 and drops it once the gateway's header or request limit passes,
 * while well-behaved clients are served the whole time.
 */
const HEADERS_TIMEOUT_MS = 1_500;
const REQUEST_TIMEOUT_MS = 3_000;
const SLOW_CLIENTS = 8;

let dir: string;
let store: FileGatewayStore;
let miner: StubMiner;
let dendrite: Dendrite;
let metrics: GatewayMetrics;
let gateway: RunningGateway;
let key: string;
/** Log entries at level error or above (an "unexpected error" is a 500 in disguise). */
const errors: unknown[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signal-gateway-slow-loris-'));
  store = await FileGatewayStore.open(dir, { role: 'serve' });
  ({ key } = await store.createKey({
    name: 'app',
    limits: { requestsPerMinute: null, tokensPerDay: null },
  }));
  miner = await startStubMiner({ uid: 1, tier: 'research', model: 'stub/model' });
  await store.publishMinerView(viewOf([miner.entry]));
  dendrite = new Dendrite({ signer: await devKey('//validator') });
  metrics = new GatewayMetrics();
  const logger = pino(
    { level: 'error' },
    new Writable({
      write(line: Buffer, _encoding, done) {
        errors.push(JSON.parse(line.toString('utf8')));
        done();
      },
    }),
  );
  gateway = await startGateway(
    { store, dendrite, logger, metrics },
    { headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS },
  );
});

afterAll(async () => {
  await gateway?.close();
  await store?.close();
  await dendrite?.close();
  await miner?.close();
  await rm(dir, { recursive: true, force: true });
});

interface SlowClient {
  /** Resolves when the gateway closes the connection, with what it answered and what we sent. */
  readonly dropped: Promise<{ answer: string; sent: number }>;
  /** The bytes the client would have sent in full. */
  readonly total: number;
  readonly connected: Promise<void>;
}

/**
 * Opens a raw connection, writes `head` at once, then `trickled` one byte per second until
 * the server hangs up (or the bytes run out, after which it just holds the connection).
 */
function slowClient(head: string, trickled: string): SlowClient {
  const socket: Socket = connect(gateway.port, '127.0.0.1');
  let sent = 0;
  let answer = '';
  let timer: NodeJS.Timeout | undefined;
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    answer += chunk;
  });
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  void connected.then(() => {
    if (head) socket.write(head);
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
  return { dropped, total: head.length + trickled.length, connected };
}

function condense(): Promise<Response> {
  return fetch(`http://127.0.0.1:${gateway.port}/v1/condense`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ context: CONTEXT }),
  });
}

/** A GET of /v1/health on `agent`, with the local port of the connection it went over. */
function healthOver(agent: Agent): Promise<{ status: number; localPort: number }> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(
      { host: '127.0.0.1', port: gateway.port, path: '/v1/health', agent },
      (response) => {
        const localPort = response.socket.localPort!;
        response.resume();
        response.once('end', () => resolve({ status: response.statusCode!, localPort }));
      },
    );
    sent.once('error', reject);
    sent.end();
  });
}

async function requestsWithStatus(status: string): Promise<number> {
  const { values } = await metrics.requests.get();
  return values.find((value) => value.labels.status === status)?.value ?? 0;
}

describe('fault: slow-loris clients on the gateway', () => {
  it('drops clients that trickle headers at 1 byte/s (or send none) with 408 at the header timeout, and serves others meanwhile', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = await healthOver(agent);
      expect(before.status).toBe(200);

      const trickling = Array.from({ length: SLOW_CLIENTS }, () =>
        slowClient(
          'POST /v1/condense HTTP/1.1\r\nHost: 127.0.0.1\r\n',
          `authorization: Bearer ${key}\r\nx-filler: ${'a'.repeat(200)}\r\n\r\n`,
        ),
      );
      const silentClient = slowClient('', '');
      await Promise.all([...trickling, silentClient].map((client) => client.connected));

      // While every slow client holds its connection, real clients are served.
      const served = await Promise.all(Array.from({ length: 4 }, () => condense()));
      expect(served.map((response) => response.status)).toEqual([200, 200, 200, 200]);
      for (const response of served) {
        expect(await response.json()).toMatchObject({ miner_uid: 1 });
      }

      const outcomes = await Promise.all(trickling.map((client) => client.dropped));
      for (const [index, outcome] of outcomes.entries()) {
        expect(outcome.answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
        // Dropped long before its headers were complete.
        expect(outcome.sent).toBeLessThan(trickling[index]!.total);
      }
      expect((await silentClient.dropped).sent).toBe(0);

      // The idle keep-alive connection outlived the header timeout: it is not a slow client.
      const after = await healthOver(agent);
      expect(after).toEqual({ status: 200, localPort: before.localPort });
      expect((await condense()).status).toBe(200);
      expect(errors).toEqual([]);
    } finally {
      agent.destroy();
    }
  }, 60_000);

  it('drops clients whose body never finishes with 408 at the request timeout, meters them as 408, and serves others meanwhile', async () => {
    const timedOutBefore = await requestsWithStatus('408');
    const body = JSON.stringify({ context: CONTEXT });
    const slow = Array.from({ length: SLOW_CLIENTS }, () =>
      slowClient(
        [
          'POST /v1/condense HTTP/1.1',
          'Host: 127.0.0.1',
          'Content-Type: application/json',
          `Authorization: Bearer ${key}`,
          `Content-Length: ${body.length + 1_000}`,
          '',
          body.slice(0, 10),
        ].join('\r\n'),
        '',
      ),
    );
    await Promise.all(slow.map((client) => client.connected));
    const served = await Promise.all(Array.from({ length: 4 }, () => condense()));
    expect(served.map((response) => response.status)).toEqual([200, 200, 200, 200]);

    const outcomes = await Promise.all(slow.map((client) => client.dropped));
    for (const outcome of outcomes) {
      expect(outcome.answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    }
    // The handler saw each body cut off as a timeout (not a 500, nothing logged as an error).
    expect((await requestsWithStatus('408')) - timedOutBefore).toBe(SLOW_CLIENTS);
    expect(await requestsWithStatus('500')).toBe(0);
    expect(errors).toEqual([]);
    expect((await condense()).status).toBe(200);
  }, 60_000);

  it('refuses timeouts that are not positive integers or a request limit below the header limit', async () => {
    const refused: GatewaySettings[] = [
      { headersTimeoutMs: 0 },
      { requestTimeoutMs: 1.5 },
      { headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 },
    ];
    for (const settings of refused) {
      await expect(
        startGateway({ store, dendrite, logger: silent, metrics: new GatewayMetrics() }, settings),
      ).rejects.toMatchObject({ code: 'GATEWAY_SETTINGS_INVALID' });
    }
  });
});

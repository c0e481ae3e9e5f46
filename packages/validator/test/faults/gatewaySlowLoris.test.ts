import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWallet, LocalChain } from '@signal/chain';
import { type RunningValidator, runValidatorCli } from '@signal/validator';
import { pino } from 'pino';

/*
 * Fault: slow-loris clients on the validator's in-process organic gateway. The validator runs
 * as `signal-validator` does (its CLI, a LocalChain file) with
 * `--gateway.headers-timeout 1500 --gateway.request-timeout 3000`. Clients that trickle their
 * headers a byte a second would finish them in 8 s, before the gateway's default 10 s limit:
 * so they are answered 408 with their headers unfinished only if the configured limit reached
 * the gateway. Meanwhile other clients are served.
 */
const NETUID = 5;
const HEADERS_TIMEOUT_MS = 1_500;
const REQUEST_TIMEOUT_MS = 3_000;
const SLOW_CLIENTS = 4;
/** Trickled at 1 byte/s: 8 s, between the configured header limit and the default one. */
const TRICKLED = 'x: 1\r\n\r\n';

let dir: string;
let validator: RunningValidator;
let stop: AbortController;
let run: Promise<void>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signal-validator-slow-loris-'));
  const walletRoot = join(dir, 'wallets');
  const { wallet } = await createWallet({ root: walletRoot, name: 'v', hotkey: 'h' });
  const chainFile = join(dir, 'chain.json');
  const chain = await LocalChain.open({ file: chainFile, blockTimeMs: 0 });
  await chain.createSubnet(NETUID);
  await chain.register({
    netuid: NETUID,
    hotkey: wallet.hotkey.address,
    coldkey: wallet.coldkeyAddress,
    stake: 10n ** 12n,
  });
  await chain.close();
  const config = join(dir, 'validator.yaml');
  // No miner registers, so the evaluation model is never opened.
  await writeFile(config, 'models:\n  tiny: ./no-model-needed-without-miners\n');
  stop = new AbortController();
  const started = new Promise<RunningValidator>((resolve) => {
    run = runValidatorCli(
      [
        '--validator.config',
        config,
        '--netuid',
        String(NETUID),
        '--subtensor.network',
        `local:${chainFile}`,
        '--state.file',
        join(dir, 'scores.json'),
        '--gateway.port',
        '0',
        '--gateway.store-dir',
        join(dir, 'gateway'),
        '--gateway.headers-timeout',
        String(HEADERS_TIMEOUT_MS),
        '--gateway.request-timeout',
        String(REQUEST_TIMEOUT_MS),
      ],
      {
        signal: stop.signal,
        env: {
          SIGNAL_VALIDATOR_WALLET_PATH: walletRoot,
          SIGNAL_VALIDATOR_WALLET_NAME: 'v',
          SIGNAL_VALIDATOR_WALLET_HOTKEY: 'h',
        },
        logDestination: pino.destination({ dest: '/dev/null', sync: true }),
        onStarted: resolve,
      },
    );
  });
  validator = await Promise.race([
    started,
    run!.then(() => {
      throw new Error('signal-validator stopped before it started');
    }),
  ]);
}, 60_000);

afterAll(async () => {
  stop?.abort();
  await run;
  await rm(dir, { recursive: true, force: true });
});

interface SlowClient {
  readonly connected: Promise<void>;
  /** Resolves when the gateway closes the connection: what it answered, and what we sent. */
  readonly dropped: Promise<{ answer: string; sent: number }>;
}

/** A raw connection that writes `head` at once, then `trickled` one byte a second. */
function slowClient(head: string, trickled: string): SlowClient {
  const socket = connect(validator.gatewayPort!, '127.0.0.1');
  let sent = 0;
  let answer = '';
  let timer: NodeJS.Timeout | undefined;
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    answer += chunk;
  });
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  void connected.then(() => {
    if (head) socket.write(head);
    timer = setInterval(() => {
      if (sent < trickled.length) socket.write(trickled[sent++]!);
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
  return { connected, dropped };
}

/** A GET of /v1/health on `agent`, with the local port of the connection it went over. */
function healthOver(agent: Agent): Promise<{ status: number; localPort: number }> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(
      { host: '127.0.0.1', port: validator.gatewayPort, path: '/v1/health', agent },
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

describe('fault: slow-loris clients on the validator’s gateway', () => {
  it('drops clients that trickle headers with 408 at the configured header timeout, and serves others meanwhile', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = await healthOver(agent);
      expect(before.status).toBe(200);

      const trickling = Array.from({ length: SLOW_CLIENTS }, () =>
        // Connection: close, so that a client served after all ends too (and fails the test).
        slowClient('GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n', TRICKLED),
      );
      const silentClient = slowClient('', '');
      await Promise.all([...trickling, silentClient].map((client) => client.connected));

      // While every slow client holds its connection, others are served, on fresh
      // connections and on a kept-alive one.
      const served = await Promise.all(
        Array.from({ length: 4 }, () =>
          fetch(`http://127.0.0.1:${validator.gatewayPort}/v1/health`),
        ),
      );
      expect(served.map((response) => response.status)).toEqual([200, 200, 200, 200]);
      for (const response of served) {
        expect(await response.json()).toMatchObject({ status: 'ok', store: 'up' });
      }
      expect(await healthOver(agent)).toEqual({ status: 200, localPort: before.localPort });

      for (const outcome of await Promise.all(trickling.map((client) => client.dropped))) {
        expect(outcome.answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
        // Dropped with its headers unfinished: the default 10 s limit would have let them end.
        expect(outcome.sent).toBeLessThan(TRICKLED.length);
      }
      expect(await silentClient.dropped).toMatchObject({ sent: 0 });

      // The idle keep-alive connection outlived the header timeout: it is not a slow client.
      expect(await healthOver(agent)).toEqual({ status: 200, localPort: before.localPort });
    } finally {
      agent.destroy();
    }
  }, 60_000);
});

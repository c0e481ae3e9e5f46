/**
 * The gateway's admission cost and how it scales, against a stub miner that answers at once
 * (core's real Axon on loopback, signatures checked). Every figure and its baseline come from
 * this run; replicas run in child processes so two of them can use two cores. Prints JSON.
 *
 *   pnpm bench:gateway [seconds-per-run=4] [connections=32]
 *
 * - admitted requests/s through one replica on the file store vs on Redis;
 * - admitted requests/s through two replicas on one Redis vs one;
 * - p99 latency of `admit` on Redis minus on the file store (what the Redis check adds);
 * - a replica's RSS before and after a flood of 10 000 distinct unknown keys.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Dendrite } from '../../packages/core/src/index';
import {
  FileGatewayStore,
  GatewayMetrics,
  type GatewayStore,
  type GatewayStoreLocation,
  openGatewayStore,
  RedisGatewayStore,
  startGateway,
} from '../../packages/gateway/src/index';
import { startRedis } from '../../packages/gateway/test/support/redisServer';
import { silent, viewOf } from '../../packages/gateway/test/support/replicas';
import { devKey, startStubMiner } from '../../packages/gateway/test/support/stubMiner';

const seconds = Number(process.argv[2] ?? 4);
const connections = Number(process.argv[3] ?? 32);
const BODY = JSON.stringify({ context: 'The harbour master counted forty ships at dawn.' });

interface ReplicaMessage {
  port?: number;
  rss?: number;
}

/** A child process serving one gateway replica on `location`; talks over IPC. */
async function replicaProcess(location: GatewayStoreLocation) {
  const child: ChildProcess = fork(__filename, ['replica', JSON.stringify(location)], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = () =>
    new Promise<ReplicaMessage>((resolve, reject) => {
      child.once('message', (message) => resolve(message as ReplicaMessage));
      child.once('exit', (code) => reject(new Error(`replica exited with ${code}`)));
    });
  const { port } = await next();
  return {
    port: port!,
    rss: async () => {
      const reply = next();
      child.send('rss');
      return (await reply).rss!;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function runReplica(location: GatewayStoreLocation): Promise<void> {
  const store = await openGatewayStore(location, 'serve');
  const dendrite = new Dendrite({ signer: await devKey('//validator') });
  const gateway = await startGateway(
    { store, dendrite, logger: silent, metrics: new GatewayMetrics() },
    { maxInFlightPerMiner: 1024 },
  );
  process.on('message', () => {
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ rss: process.memoryUsage().rss });
  });
  process.once('SIGTERM', () => {
    void gateway
      .close()
      .then(() => store.close())
      .then(() => dendrite.close())
      .then(() => process.exit(0));
  });
  process.send?.({ port: gateway.port });
}

/** Keep-alive lanes sending `POST /v1/condense` for `seconds`, spread over `ports`. */
async function load(ports: readonly number[], key: (i: number) => string, durationS: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const statuses: Record<number, number> = {};
  const started = performance.now();
  const deadline = started + durationS * 1000;
  let sent = 0;
  const send = (port: number, bearer: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/v1/condense',
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${bearer}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(BODY),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(BODY);
    });
  await Promise.all(
    Array.from({ length: connections }, async (_, lane) => {
      while (performance.now() < deadline) {
        const i = sent++;
        const status = await send(ports[lane % ports.length]!, key(i));
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  agent.destroy();
  return { statuses, admittedPerSecond: Math.round((statuses[200] ?? 0) / elapsedS) };
}

async function prepare(store: GatewayStore, view: ReturnType<typeof viewOf>) {
  await store.publishMinerView(view);
  const { key } = await store.createKey({
    name: 'bench',
    limits: { requestsPerMinute: 100_000, tokensPerDay: null },
  });
  return key;
}

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
}

async function admitLatencies(store: GatewayStore, keyId: string, count: number) {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await store.admit({ keyId, reserveTokens: 0 });
    samples.push(performance.now() - started);
  }
  return samples;
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const dir = await mkdtemp(join(tmpdir(), 'signal-bench-gateway-'));
  const miner = await startStubMiner({ uid: 1, tier: 'research', model: 'stub/model' });
  const view = viewOf([miner.entry]);
  try {
    // One replica, file store.
    const fileDir = join(dir, 'file');
    const fileAdmin = await FileGatewayStore.open(fileDir, { role: 'admin' });
    const fileKey = await prepare(fileAdmin, view);
    await fileAdmin.close();
    const fileReplica = await replicaProcess({ dir: fileDir });
    await load([fileReplica.port], () => fileKey, 1);
    const file = await load([fileReplica.port], () => fileKey, seconds);
    await fileReplica.stop();

    // One and two replicas on Redis.
    const ns = `bench:${randomBytes(4).toString('hex')}`;
    const redisAdmin = await RedisGatewayStore.open({
      url: redis.url,
      namespace: ns,
      waitForConnection: true,
    });
    const redisKey = await prepare(redisAdmin, view);
    const location = { redisUrl: redis.url, namespace: ns };
    const first = await replicaProcess(location);
    await load([first.port], () => redisKey, 1);
    const oneRedis = await load([first.port], () => redisKey, seconds);
    const second = await replicaProcess(location);
    await load([second.port], () => redisKey, 1);
    const twoRedis = await load([first.port, second.port], () => redisKey, seconds);
    await second.stop();

    // RSS of a replica under a flood of distinct unknown keys.
    const rssBefore = await first.rss();
    const flood = await load(
      [first.port],
      (i) => `sig_${(i % 10_000).toString(16).padStart(12, '0')}_${'A'.repeat(43)}`,
      Math.max(seconds, 5),
    );
    const rssAfter = await first.rss();
    await first.stop();

    // What the Redis check adds to admission, measured on the store calls alone.
    const adminKey = (await redisAdmin.listKeys())[0]!.id;
    const fileServe = await FileGatewayStore.open(join(dir, 'latency'), { role: 'serve' });
    const { info: fileInfo } = await fileServe.createKey({
      name: 'latency',
      limits: { requestsPerMinute: 100_000, tokensPerDay: 1_000_000_000 },
    });
    await admitLatencies(fileServe, fileInfo.id, 500);
    await admitLatencies(redisAdmin, adminKey, 500);
    const fileP99 = p99(await admitLatencies(fileServe, fileInfo.id, 5_000));
    const redisP99 = p99(await admitLatencies(redisAdmin, adminKey, 5_000));
    await fileServe.close();
    await redisAdmin.close();

    const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
    process.stdout.write(
      `${JSON.stringify(
        {
          cores: cpus().length,
          seconds_per_run: seconds,
          connections,
          admitted_per_s: {
            file_one_replica: file.admittedPerSecond,
            redis_one_replica: oneRedis.admittedPerSecond,
            redis_two_replicas: twoRedis.admittedPerSecond,
          },
          statuses: {
            file: file.statuses,
            redis_one: oneRedis.statuses,
            redis_two: twoRedis.statuses,
          },
          ratios: {
            redis_vs_file: round(oneRedis.admittedPerSecond / file.admittedPerSecond),
            two_vs_one_replica: round(twoRedis.admittedPerSecond / oneRedis.admittedPerSecond),
          },
          targets: { redis_vs_file: 0.8, two_vs_one_replica: 1.6, p99_added_ms: 1 },
          admission_p99_ms: {
            file: round(fileP99),
            redis: round(redisP99),
            added_by_redis: round(redisP99 - fileP99),
          },
          unknown_key_flood: {
            distinct_keys: 10_000,
            requests: Object.values(flood.statuses).reduce((a, b) => a + b, 0),
            statuses: flood.statuses,
            rss_before_mb: round(rssBefore / 2 ** 20, 1),
            rss_after_mb: round(rssAfter / 2 ** 20, 1),
          },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await miner.close();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'replica') {
  void runReplica(JSON.parse(process.argv[3]!) as GatewayStoreLocation);
} else {
  void main();
}

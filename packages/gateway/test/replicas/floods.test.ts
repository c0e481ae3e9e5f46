import type { GatewayStore } from '@signal/gateway';
import { type RedisServer, startRedis } from '../support/redisServer';
import {
  condense,
  namespace,
  openRedisStore,
  type Replica,
  startReplica,
  viewOf,
} from '../support/replicas';
import { type StubMiner, startStubMiner } from '../support/stubMiner';

let redis: RedisServer;
let miner: StubMiner;
let admin: GatewayStore;
let replica: Replica;

beforeAll(async () => {
  redis = await startRedis();
  miner = await startStubMiner({ uid: 1, tier: 'research', model: 'stub/model' });
  const ns = namespace();
  admin = await openRedisStore(redis.url, ns);
  await admin.publishMinerView(viewOf([miner.entry]));
  replica = await startReplica(await openRedisStore(redis.url, ns));
});

afterAll(async () => {
  await replica?.close();
  await admin?.close();
  await miner?.close();
  await redis?.stop();
});

/** Runs `tasks` with at most `width` in flight, like a flood from many connections. */
async function flood<T>(count: number, width: number, task: (i: number) => Promise<T>) {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

it('refuses a flood of unknown keys while a legitimate key is served', async () => {
  const { key } = await admin.createKey({
    name: 'legit',
    limits: { requestsPerMinute: null, tokensPerDay: null },
  });
  const legit: Promise<number>[] = [];
  const statuses = await flood(1_000, 64, async (i) => {
    if (i % 100 === 0) legit.push(condense(replica, key).then((r) => r.status));
    const unknown = `sig_${i.toString(16).padStart(12, '0')}_${'A'.repeat(43)}`;
    const response = await condense(replica, unknown);
    await response.arrayBuffer();
    return response.status;
  });
  expect(new Set(statuses)).toEqual(new Set([401]));
  expect(await Promise.all(legit)).toEqual(Array(10).fill(200));
});

it('refuses one key over its limit without starving another key', async () => {
  const noisy = await admin.createKey({
    name: 'noisy',
    limits: { requestsPerMinute: 5, tokensPerDay: null },
  });
  const { key } = await admin.createKey({
    name: 'quiet',
    limits: { requestsPerMinute: null, tokensPerDay: null },
  });
  const legit: Promise<number>[] = [];
  const statuses = await flood(500, 64, async (i) => {
    if (i % 50 === 0) legit.push(condense(replica, key).then((r) => r.status));
    const response = await condense(replica, noisy.key);
    await response.arrayBuffer();
    return response.status;
  });
  expect(statuses.filter((s) => s === 200)).toHaveLength(5);
  expect(statuses.filter((s) => s === 429)).toHaveLength(495);
  expect(await Promise.all(legit)).toEqual(Array(10).fill(200));
  await replica.gateway.flushUsage();
  const [usage] = await admin.usage({ keyId: noisy.info.id });
  expect(usage).toMatchObject({ requests: 5, rateLimited: 495 });
});

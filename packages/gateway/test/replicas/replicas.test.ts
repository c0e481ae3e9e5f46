import type { GatewayStore } from '@signal/gateway';
import { type RedisServer, startRedis } from '../support/redisServer';
import {
  condense,
  namespace,
  openRedisStore,
  type Replica,
  startReplica,
  untilAvailability,
  viewOf,
} from '../support/replicas';
import {
  CONDENSED_TOKENS,
  ORIGINAL_TOKENS,
  type StubMiner,
  startStubMiner,
} from '../support/stubMiner';

let redis: RedisServer;
let miners: StubMiner[];
let admin: GatewayStore;
let replicas: Replica[];

beforeAll(async () => {
  redis = await startRedis();
  miners = await Promise.all([
    startStubMiner({ uid: 1, tier: 'research', model: 'stub/model', score: 0.9 }),
    startStubMiner({ uid: 2, tier: 'research', model: 'stub/model', score: 0.5 }),
  ]);
});

afterAll(async () => {
  for (const miner of miners ?? []) await miner.close();
  await redis?.stop();
});

beforeEach(async () => {
  const ns = namespace();
  admin = await openRedisStore(redis.url, ns);
  await admin.publishMinerView(viewOf(miners.map((m) => m.entry)));
  replicas = await Promise.all([
    startReplica(await openRedisStore(redis.url, ns)),
    startReplica(await openRedisStore(redis.url, ns)),
  ]);
});

afterEach(async () => {
  for (const replica of replicas) await replica.close();
  await admin.close();
});

it('admits exactly N per minute across two replicas hammered at once, and meters exactly', async () => {
  const limit = 12;
  const { key, info } = await admin.createKey({
    name: 'hammer',
    limits: { requestsPerMinute: limit, tokensPerDay: null },
  });
  const responses = await Promise.all(
    Array.from({ length: 40 }, (_, i) => condense(replicas[i % 2]!, key)),
  );
  const ok = responses.filter((r) => r.status === 200);
  const limited = responses.filter((r) => r.status === 429);
  expect(ok).toHaveLength(limit);
  expect(limited).toHaveLength(40 - limit);
  for (const response of limited) {
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  }
  // Both replicas admitted some: the limit is shared, not per replica.
  const served = await Promise.all(responses.map((r) => r.json()));
  expect(served.filter((body) => 'payload' in (body as object))).toHaveLength(limit);
  await Promise.all(replicas.map((r) => r.gateway.flushUsage()));
  const [usage] = await admin.usage({ keyId: info.id });
  expect(usage).toMatchObject({
    requests: limit,
    tokensIn: limit * ORIGINAL_TOKENS,
    tokensOut: limit * CONDENSED_TOKENS,
    reservedTokens: 0,
    status2xx: limit,
    status4xx: 40 - limit,
    rateLimited: 40 - limit,
  });
});

it('holds a daily token budget across replicas', async () => {
  // Each request reserves the tier's 64 tokens and settles to 7: five fit in 64 + 4 × 7.
  const { key } = await admin.createKey({
    name: 'budget',
    limits: { requestsPerMinute: null, tokensPerDay: 64 + 4 * CONDENSED_TOKENS },
  });
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) {
    const response = await condense(replicas[i % 2]!, key);
    statuses.push(response.status);
    await replicas[i % 2]!.gateway.flushUsage();
  }
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
});

it('stops serving a revoked key on every replica', async () => {
  const { key, info } = await admin.createKey({
    name: 'revoked',
    limits: { requestsPerMinute: null, tokensPerDay: null },
  });
  for (const replica of replicas) expect((await condense(replica, key)).status).toBe(200);
  await admin.revokeKey(info.id);
  for (const replica of replicas) {
    const response = await condense(replica, key);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'GATEWAY_KEY_INVALID' } });
  }
});

it("backs off from a miner's Retry-After on every replica", async () => {
  const { key } = await admin.createKey({
    name: 'retry',
    limits: { requestsPerMinute: null, tokensPerDay: null },
  });
  const [best, second] = miners;
  const before = { best: best!.requests(), second: second!.requests() };
  best!.refuse({ status: 429, retryAfterSeconds: 30 });
  try {
    // Replica 0 tries the best miner, is told to come back in 30 s, and fails over.
    const first = await condense(replicas[0]!, key);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { miner_uid: number }).miner_uid).toBe(second!.entry.uid);
    // Replica 1 never asks the best miner while it cools down.
    for (const replica of replicas) {
      const response = await condense(replica, key);
      expect(((await response.json()) as { miner_uid: number }).miner_uid).toBe(second!.entry.uid);
    }
    expect(best!.requests() - before.best).toBe(1);
    const miners = (await (await fetch(replicas[1]!.url('/v1/miners'))).json()) as {
      tiers: { research: Array<{ uid: number; cooling_down: boolean }> };
    };
    expect(miners.tiers.research.find((m) => m.uid === best!.entry.uid)?.cooling_down).toBe(true);
  } finally {
    best!.refuse(null);
  }
});

it('answers 503 while Redis is down, recovers after, and loses no usage of admitted requests', async () => {
  const { key, info } = await admin.createKey({
    name: 'outage',
    limits: { requestsPerMinute: null, tokensPerDay: null },
  });
  const best = miners[0]!;
  best.hold();
  // Four requests admitted, and waiting at the best miner when Redis dies.
  const inFlight = Array.from({ length: 4 }, (_, i) => condense(replicas[i % 2]!, key));
  await best.arrived(best.requests() + 4);
  await redis.kill();
  await Promise.all(replicas.map((r) => untilAvailability(r.store, false)));
  best.release();
  const answered = await Promise.all(inFlight);
  expect(answered.map((r) => r.status)).toEqual([200, 200, 200, 200]);

  for (const replica of replicas) {
    const refused = await condense(replica, key);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ error: { code: 'GATEWAY_STORE_UNAVAILABLE' } });
    expect((await fetch(replica.url('/v1/health'))).status).toBe(503);
  }

  await redis.restart();
  await Promise.all(
    [admin, ...replicas.map((r) => r.store)].map((s) => untilAvailability(s, true)),
  );
  for (const replica of replicas) expect((await condense(replica, key)).status).toBe(200);
  await Promise.all(replicas.map((r) => r.gateway.flushUsage()));
  const [usage] = await admin.usage({ keyId: info.id });
  expect(usage).toMatchObject({
    requests: 6,
    status2xx: 6,
    tokensOut: 6 * CONDENSED_TOKENS,
    reservedTokens: 0,
  });
});

it('admits keys it already verified while Redis is down only when told to fail open', async () => {
  const ns = namespace();
  const store = await openRedisStore(redis.url, ns);
  await store.publishMinerView(viewOf(miners.map((m) => m.entry)));
  const open = await startReplica(store, { failOpen: true });
  try {
    const verified = await store.createKey({
      name: 'verified',
      limits: { requestsPerMinute: 1, tokensPerDay: null },
    });
    const unseen = await store.createKey({
      name: 'unseen',
      limits: { requestsPerMinute: null, tokensPerDay: null },
    });
    expect((await condense(open, verified.key)).status).toBe(200);
    expect((await condense(open, verified.key)).status).toBe(429);
    await redis.kill();
    await untilAvailability(store, false);
    // Limits cannot be checked: the verified key is let through, unlimited, as asked for.
    for (let i = 0; i < 3; i += 1) expect((await condense(open, verified.key)).status).toBe(200);
    // A key this replica never verified cannot be checked at all: refused, never admitted.
    const refused = await condense(open, unseen.key);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { code: 'GATEWAY_STORE_UNAVAILABLE' } });
    const health = await fetch(open.url('/v1/health'));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'degraded', store: 'down' });
    // The fail-closed replicas on the same Redis still refuse the same key.
    expect((await condense(replicas[0]!, verified.key)).status).toBe(503);
  } finally {
    await redis.restart();
    await untilAvailability(store, true);
    await open.close();
  }
});

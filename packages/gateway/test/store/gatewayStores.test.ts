import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileGatewayStore, RedisGatewayStore } from '@signal/gateway';
import { type RedisServer, startRedis } from '../support/redisServer';
import { describeGatewayStore } from './storeSuite';

let dir: string;
let redis: RedisServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signal-gateway-store-'));
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describeGatewayStore('file', {
  open: async () =>
    FileGatewayStore.open(join(dir, randomBytes(6).toString('hex')), { role: 'serve' }),
});

describeGatewayStore('Redis', {
  open: async () =>
    RedisGatewayStore.open({
      url: redis.url,
      namespace: `test:${randomBytes(6).toString('hex')}`,
      waitForConnection: true,
    }),
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiKeyInfoSchema,
  type GatewayStore,
  openGatewayStore,
  runGatewayCli,
  UsageDaySchema,
} from '@signal/gateway';
import { type RedisServer, startRedis } from '../support/redisServer';

/*
 * `signal gateway keys …` and `signal gateway usage` as an operator types them, against the
 * file store and against a real Redis: the same commands, the same answers.
 */
let dir: string;
let redis: RedisServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signal-gateway-keys-cli-'));
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function cli(argv: string[], storeFlags: string[]): Promise<string> {
  let printed = '';
  await runGatewayCli([...argv, '--netuid', '3', ...storeFlags], {
    signal: new AbortController().signal,
    env: {},
    output: (text) => {
      printed += text;
    },
  });
  return printed;
}

const stores: Array<[string, () => string[]]> = [
  ['file', () => ['--gateway.store-dir', join(dir, 'store')]],
  ['Redis', () => ['--gateway.redis-url', redis.url]],
];

describe.each(stores)('signal gateway keys and usage on the %s store', (_name, storeFlags) => {
  // The store a serving gateway would hold (the file store admits only in its serving
  // process; the Redis one is asked to wait for its connection first).
  const serving = () =>
    storeFlags()[0] === '--gateway.store-dir'
      ? openGatewayStore({ dir: storeFlags()[1]! }, 'serve')
      : openGatewayStore({ redisUrl: redis.url, namespace: 'signal:gateway:3' }, 'admin');

  it('creates a key printed once, lists, limits and revokes it, and reports its usage', async () => {
    const created = JSON.parse(
      await cli(['keys', 'create', '--name', 'acme', '--rpm', '1', '--json'], storeFlags()),
    ) as { id: string; key: string };
    expect(Object.keys(created).sort()).toEqual(['id', 'key']);
    expect(created.key).toMatch(new RegExp(`^sig_${created.id}_[A-Za-z0-9_-]{43}$`));

    const listed = ApiKeyInfoSchema.array().parse(
      JSON.parse(await cli(['keys', 'list', '--json'], storeFlags())),
    );
    expect(listed).toEqual([
      expect.objectContaining({
        id: created.id,
        name: 'acme',
        limits: { requestsPerMinute: 1, tokensPerDay: null },
        revokedAt: null,
      }),
    ]);
    const table = await cli(['keys', 'list'], storeFlags());
    expect(table).toContain(`${created.id}  acme  rpm=1`);
    for (const text of [table, JSON.stringify(listed)]) {
      expect(text).not.toContain(created.key.slice(-43));
    }

    // One request fits the limit of 1 a minute, the second is refused; both are metered.
    let store: GatewayStore = await serving();
    const first = await store.admit({ keyId: created.id, reserveTokens: 8 });
    expect(first.admitted).toBe(true);
    await store.settle({
      id: 'one',
      keyId: created.id,
      ...(first.admitted ? { ticket: first.ticket } : {}),
      status: 200,
      tokensIn: 500,
      tokensOut: 5,
    });
    expect(await store.admit({ keyId: created.id, reserveTokens: 8 })).toMatchObject({
      admitted: false,
      reason: 'requests_per_minute',
    });
    await store.close();

    const limited = ApiKeyInfoSchema.parse(
      JSON.parse(
        await cli(
          [
            'keys',
            'set-limits',
            '--id',
            created.id,
            '--rpm',
            'none',
            '--tokens-per-day',
            '900',
            '--json',
          ],
          storeFlags(),
        ),
      ),
    );
    expect(limited.limits).toEqual({ requestsPerMinute: null, tokensPerDay: 900 });
    store = await serving();
    expect((await store.admit({ keyId: created.id, reserveTokens: 8 })).admitted).toBe(true);
    await store.close();

    const revoked = ApiKeyInfoSchema.parse(
      JSON.parse(await cli(['keys', 'revoke', '--id', created.id, '--json'], storeFlags())),
    );
    expect(revoked.revokedAt).not.toBeNull();
    store = await serving();
    expect(await store.admit({ keyId: created.id, reserveTokens: 8 })).toMatchObject({
      admitted: false,
      reason: 'revoked',
    });
    await store.close();

    const usage = UsageDaySchema.array().parse(
      JSON.parse(await cli(['usage', '--key', created.id, '--json'], storeFlags())),
    );
    expect(usage).toEqual([
      expect.objectContaining({
        keyId: created.id,
        tokensIn: 500,
        tokensOut: 5,
        status2xx: 1,
        rateLimited: 1,
      }),
    ]);
    const today = usage[0]!.day;
    expect(await cli(['usage', '--key', created.id], storeFlags())).toContain(
      `${today}  ${created.id}  requests=`,
    );
    expect(
      await cli(
        ['usage', '--key', created.id, '--from', '2000-01-01', '--to', '2000-01-02'],
        storeFlags(),
      ),
    ).toBe('No usage recorded.\n');
  });

  it('refuses bad commands by code, naming what was wrong', async () => {
    await expect(cli(['keys', 'rotate'], storeFlags())).rejects.toMatchObject({
      code: 'GATEWAY_CLI_USAGE',
    });
    await expect(
      cli(['keys', 'set-limits', '--id', 'abcdefabcdef'], storeFlags()),
    ).rejects.toMatchObject({
      code: 'GATEWAY_CLI_USAGE',
    });
    await expect(
      cli(['keys', 'revoke', '--id', 'abcdefabcdef'], storeFlags()),
    ).rejects.toMatchObject({
      code: 'GATEWAY_KEY_UNKNOWN',
    });
    await expect(
      cli(['keys', 'create', '--name', 'x', '--rpm', '0'], storeFlags()),
    ).rejects.toThrow(/--rpm/);
    await expect(cli(['usage', '--from', '01/02/2026'], storeFlags())).rejects.toThrow(/--from/);
  });
});

it('needs a subnet, and one store only', async () => {
  const run = (argv: string[]) =>
    runGatewayCli(argv, { signal: new AbortController().signal, env: {}, output: () => undefined });
  await expect(run(['keys', 'list', '--gateway.store-dir', dir])).rejects.toMatchObject({
    code: 'GATEWAY_CLI_USAGE',
  });
  await expect(
    run([
      'keys',
      'list',
      '--netuid',
      '3',
      '--gateway.store-dir',
      dir,
      '--gateway.redis-url',
      redis.url,
    ]),
  ).rejects.toMatchObject({ code: 'GATEWAY_CLI_USAGE' });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayViewSchema } from '@signal/dashboard';
import { FileGatewayStore, type GatewayStore, gatewayDashboardView } from '@signal/gateway';

const DAY_MS = 86_400_000;
const TODAY = Date.parse('2026-03-10T12:00:00Z');

let dir: string;
let clock: number;
let store: GatewayStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signal-gateway-dashboard-'));
  clock = TODAY;
  store = await FileGatewayStore.open(dir, { role: 'serve', now: () => clock });
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function request(keyId: string, status: number, tokensIn: number, tokensOut: number) {
  const admission = await store.admit({ keyId, reserveTokens: 64 });
  await store.settle({
    id: `${keyId}-${clock}-${status}-${Math.random()}`,
    keyId,
    ...(admission.admitted ? { ticket: admission.ticket } : {}),
    status: admission.admitted ? status : 429,
    tokensIn: admission.admitted ? tokensIn : 0,
    tokensOut: admission.admitted ? tokensOut : 0,
  });
}

describe('gatewayDashboardView', () => {
  it('maps keys and usage per key and day onto the Gateway page, oldest day first', async () => {
    const app = await store.createKey({
      name: 'app',
      limits: { requestsPerMinute: 2, tokensPerDay: null },
    });
    const old = await store.createKey({
      name: 'old',
      limits: { requestsPerMinute: null, tokensPerDay: null },
    });
    clock = TODAY - DAY_MS;
    await request(old.info.id, 200, 900, 90);
    await store.revokeKey(old.info.id);
    clock = TODAY;
    await request(app.info.id, 200, 1000, 100);
    await request(app.info.id, 502, 800, 0);
    await request(app.info.id, 200, 1000, 100);

    const view = GatewayViewSchema.parse(await gatewayDashboardView(store, { now: () => clock })());
    expect(view.generated_at).toBe(TODAY);
    expect(view.keys).toEqual(
      expect.arrayContaining([
        { key_id: app.info.id, name: 'app', revoked: false },
        { key_id: old.info.id, name: 'old', revoked: true },
      ]),
    );
    expect(view.usage).toEqual([
      {
        key_id: old.info.id,
        day: '2026-03-09',
        requests: 1,
        status_2xx: 1,
        status_4xx: 0,
        status_5xx: 0,
        rate_limited: 0,
        tokens_in: 900,
        tokens_out: 90,
      },
      {
        key_id: app.info.id,
        day: '2026-03-10',
        requests: 2,
        status_2xx: 1,
        status_4xx: 1,
        status_5xx: 1,
        rate_limited: 1,
        tokens_in: 1800,
        tokens_out: 100,
      },
    ]);
  });

  it('shows only the last days asked for, today included', async () => {
    const key = await store.createKey({
      name: 'app',
      limits: { requestsPerMinute: null, tokensPerDay: null },
    });
    for (const daysAgo of [0, 2, 3]) {
      clock = TODAY - daysAgo * DAY_MS;
      await request(key.info.id, 200, 10, 1);
    }
    clock = TODAY;
    const view = await gatewayDashboardView(store, { days: 3, now: () => clock })();
    expect(view.usage.map((row) => row.day)).toEqual(['2026-03-08', '2026-03-10']);
  });

  it('never carries a key, its salt or its hash', async () => {
    const created = await store.createKey({
      name: 'app',
      limits: { requestsPerMinute: null, tokensPerDay: null },
    });
    await request(created.info.id, 200, 10, 1);
    const stored = JSON.parse(await readFile(join(dir, 'keys.json'), 'utf8')) as {
      keys: Array<{ salt: string; hash: string }>;
    };
    const text = JSON.stringify(await gatewayDashboardView(store)());
    expect(text).toContain(created.info.id);
    for (const secret of [
      created.key,
      created.key.slice(-43),
      stored.keys[0]!.salt,
      stored.keys[0]!.hash,
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

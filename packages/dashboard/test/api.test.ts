import { request } from 'node:http';
import {
  DashboardApiErrorSchema,
  DashboardInfoSchema,
  GatewayViewSchema,
  MinerDetailSchema,
  MinersViewSchema,
  QualityViewSchema,
  type RunningDashboard,
  SubnetViewSchema,
  startDashboard,
} from '../src/index';
import { type FixtureState, fixtureSources } from './support/fixtureSources';

const SECRET = 'abandon ability able about above absent absorb abstract absurd abuse access';

let dashboard: RunningDashboard;
let state: FixtureState;

beforeAll(async () => {
  state = { epoch: 3, miners: 6, poorUid: 6 };
  dashboard = await startDashboard({
    sources: fixtureSources(state, { secret: SECRET }),
    refreshMs: 50,
  });
});
afterAll(() => dashboard.close());

const get = (path: string, init?: RequestInit) => fetch(`${dashboard.url}${path}`, init);

describe('the JSON API', () => {
  it('answers every view in its schema, with nothing the schema does not declare', async () => {
    const cases = [
      ['/api/info', DashboardInfoSchema],
      ['/api/subnet', SubnetViewSchema],
      ['/api/miners', MinersViewSchema],
      ['/api/miners/2', MinerDetailSchema],
      ['/api/quality', QualityViewSchema],
      ['/api/gateway', GatewayViewSchema],
    ] as const;
    for (const [path, schema] of cases) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const text = await response.text();
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('coldkey_mnemonic');
      schema.parse(JSON.parse(text));
    }
    const info = DashboardInfoSchema.parse(await (await get('/api/info')).json());
    expect(info.pages).toEqual({ subnet: true, miners: true, quality: true, gateway: true });
  });

  it('answers 304 to a matching ETag and a new ETag once the data moved', async () => {
    const first = await get('/api/miners');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await get('/api/miners', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    state.epoch += 1;
    // The cache holds a read for refreshMs; poll until the new epoch shows.
    let moved: Response;
    do {
      moved = await get('/api/miners', { headers: { 'if-none-match': etag } });
    } while (moved.status === 304);
    expect(moved.status).toBe(200);
    expect(MinersViewSchema.parse(await moved.json()).epoch).toBe(state.epoch);
  });

  it('refuses what it does not serve with a typed JSON error', async () => {
    const cases: Array<[string, RequestInit | undefined, number, string]> = [
      ['/api/miners/99', undefined, 404, 'DASHBOARD_NOT_FOUND'],
      ['/api/nothing', undefined, 404, 'DASHBOARD_NOT_FOUND'],
      ['/api/events', undefined, 400, 'DASHBOARD_BAD_REQUEST'],
      ['/api/events?views=subnet,keys', undefined, 400, 'DASHBOARD_BAD_REQUEST'],
      ['/api/subnet', { method: 'POST' }, 405, 'DASHBOARD_METHOD_NOT_ALLOWED'],
      ['/api/subnet', { method: 'DELETE' }, 405, 'DASHBOARD_METHOD_NOT_ALLOWED'],
    ];
    for (const [path, init, status, code] of cases) {
      const response = await get(path, init);
      expect([path, response.status]).toEqual([path, status]);
      expect(DashboardApiErrorSchema.parse(await response.json()).error.code).toBe(code);
    }
    const outside = await fetch(dashboard.url.replace('/dashboard', '/keys'));
    expect(outside.status).toBe(404);
  });

  it('redirects /dashboard to the Subnet page and serves the assets', async () => {
    const root = await get('', { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/dashboard/subnet');
    const script = await get('/assets/dashboard.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await script.text()).length).toBeGreaterThan(1000);
    const page = await get('/subnet');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const body = await page.text();
    expect(body).toContain('<table id="metagraph"');
    expect(body).not.toContain(SECRET);
  });

  it('refuses a Host that is not loopback when no token guards it (DNS rebinding)', async () => {
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: dashboard.port,
            path: '/dashboard/api/info',
            headers: { host },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect(await status('evil.example:80')).toBe(403);
    expect(await status(`localhost:${dashboard.port}`)).toBe(200);
    expect(await status(`127.0.0.1:${dashboard.port}`)).toBe(200);
  });

  it('streams change events when a watched view moves', async () => {
    const controller = new AbortController();
    const response = await get('/api/events?views=miners', { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended: ${text}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await until(/event: hello\n/);
    expect(dashboard.viewers).toBe(1);
    state.epoch += 1;
    await until(/event: change\ndata: \{"view":"miners","etag":/);
    controller.abort();
    await reader.cancel().catch(() => undefined);
  });
});

describe('sources that fail', () => {
  it('are a 503 naming the view, and a page that says so, never a crash', async () => {
    const broken = await startDashboard({
      sources: {
        role: 'gateway',
        netuid: 2,
        subnet: async () => {
          throw new Error('ws://user:hunter2@node failed');
        },
        // Outside its schema: a negative request count.
        gateway: async () =>
          ({ keys: [], usage: [{ key_id: 'k', day: '2026-01-01', requests: -1 }] }) as never,
      },
    });
    try {
      const subnet = await fetch(`${broken.url}/api/subnet`);
      expect(subnet.status).toBe(503);
      const body = await subnet.text();
      expect(DashboardApiErrorSchema.parse(JSON.parse(body)).error.code).toBe(
        'DASHBOARD_SOURCE_FAILED',
      );
      expect(body).not.toContain('hunter2');
      const gateway = await fetch(`${broken.url}/api/gateway`);
      expect(gateway.status).toBe(503);
      const page = await fetch(`${broken.url}/subnet`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('The subnet source failed.');
      expect(html).not.toContain('hunter2');
      const miners = await (await fetch(`${broken.url}/miners`)).text();
      expect(miners).toContain('This process does not evaluate miners');
      expect((await fetch(`${broken.url}/api/miners`)).status).toBe(404);
    } finally {
      await broken.close();
    }
  });
});

import {
  DashboardApiErrorSchema,
  DashboardError,
  type RunningDashboard,
  SubnetViewSchema,
  startDashboard,
} from '../src/index';
import { fixtureSources } from './support/fixtureSources';

const TOKEN = 'correct-horse-battery-staple-42';

let dashboard: RunningDashboard;

beforeAll(async () => {
  dashboard = await startDashboard({
    sources: fixtureSources({ epoch: 2, miners: 3, poorUid: 3 }),
    token: TOKEN,
  });
});
afterAll(() => dashboard.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${dashboard.url}${path}`, { headers, redirect: 'manual' });

describe('a token-protected dashboard', () => {
  it.each([
    ['no credentials', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token-at-all' }],
    ['the token under another scheme', { authorization: `Basic ${TOKEN}` }],
    ['the token itself as the cookie', { cookie: `signal_dashboard=${TOKEN}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('answers 401 to %s on every API route', async (_, headers) => {
    for (const path of [
      '/api/info',
      '/api/subnet',
      '/api/miners/1',
      '/api/events?views=subnet',
      '/assets/dashboard.js',
    ]) {
      const response = await get(path, headers);
      expect([path, response.status]).toEqual([path, 401]);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="signal-dashboard"');
      const body = DashboardApiErrorSchema.parse(await response.json());
      expect(body.error.code).toBe('DASHBOARD_UNAUTHORIZED');
    }
  });

  it('sends a browser to the login form, which keeps where it was going', async () => {
    const response = await get('/miners?uid=2', { accept: 'text/html' });
    expect(response.status).toBe(303);
    const location = response.headers.get('location')!;
    expect(location).toBe('/dashboard/login?next=%2Fdashboard%2Fminers%3Fuid%3D2');
    const form = await get(location.replace('/dashboard', ''));
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('<form method="post" action="/dashboard/login">');
    expect(html).toContain('name="next" value="/dashboard/miners?uid=2"');
    expect(html).not.toContain('id="miners"');
  });

  it.each(['https://evil.example/', '//evil.example/dashboard/', '/dashboard//evil', '/other'])(
    'never sends a signed-in browser off the dashboard (next=%s)',
    async (next) => {
      const response = await fetch(`${dashboard.url}/login`, {
        method: 'POST',
        body: new URLSearchParams({ token: TOKEN, next }),
        redirect: 'manual',
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/dashboard/subnet');
    },
  );

  it('serves every route with the bearer token', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const subnet = await get('/api/subnet', auth);
    expect(subnet.status).toBe(200);
    SubnetViewSchema.parse(await subnet.json());
    expect((await get('/quality', auth)).status).toBe(200);
  });

  it('exchanges the right token for a session cookie that is not the token', async () => {
    const wrong = await fetch(`${dashboard.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ token: 'wrong-wrong-wrong-wrong' }),
      redirect: 'manual',
    });
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get('location')).toContain('failed=1');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const right = await fetch(`${dashboard.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ token: TOKEN }),
      redirect: 'manual',
    });
    expect(right.status).toBe(303);
    const cookie = right.headers.get('set-cookie')!;
    expect(cookie).toMatch(
      /^signal_dashboard=[\w-]+; Path=\/dashboard; HttpOnly; SameSite=Strict$/,
    );
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(';')[0]!;
    expect((await get('/api/info', { cookie: session })).status).toBe(200);
    expect((await get('/api/info', { cookie: `${session}x` })).status).toBe(401);
  });

  it('refuses an oversized login body', async () => {
    const response = await fetch(`${dashboard.url}/login`, {
      method: 'POST',
      body: `token=${'x'.repeat(10_000)}`,
    });
    expect(response.status).toBe(413);
  });
});

describe('starting', () => {
  it('refuses to listen beyond loopback without a token', async () => {
    const start = startDashboard({
      sources: fixtureSources({ epoch: 1, miners: 1, poorUid: 1 }),
      host: '0.0.0.0',
    });
    await expect(start).rejects.toThrow(DashboardError);
    await expect(start).rejects.toMatchObject({ code: 'DASHBOARD_TOKEN_REQUIRED' });
  });

  it('refuses a short token', async () => {
    await expect(
      startDashboard({
        sources: fixtureSources({ epoch: 1, miners: 1, poorUid: 1 }),
        token: 'short',
      }),
    ).rejects.toMatchObject({ code: 'DASHBOARD_TOKEN_WEAK' });
  });

  it('names the port it could not take', async () => {
    await expect(
      startDashboard({
        sources: fixtureSources({ epoch: 1, miners: 1, poorUid: 1 }),
        port: dashboard.port,
      }),
    ).rejects.toMatchObject({ code: 'DASHBOARD_LISTEN_FAILED' });
  });
});

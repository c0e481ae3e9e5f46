import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWallet, LocalChain } from '@signal/chain';
import {
  DashboardApiErrorSchema,
  DashboardInfoSchema,
  GatewayViewSchema,
  SubnetViewSchema,
} from '@signal/dashboard';
import { FileGatewayStore, type RunningGatewayCli, runGatewayCli } from '@signal/gateway';
import { pino } from 'pino';

/*
 * `signal gateway` as an operator starts it: a LocalChain file where the wallet holds a uid,
 * a file store with one key, the gateway on a loopback port and its dashboard beside it.
 */
const TOKEN = 'gateway-dashboard-token-51c9e0';
const NETUID = 5;

let dir: string;
let chainFile: string;
let walletRoot: string;
let hotkey: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signal-gateway-cli-'));
  walletRoot = join(dir, 'wallets');
  const { wallet } = await createWallet({ root: walletRoot, name: 'v', hotkey: 'h' });
  hotkey = wallet.hotkey.address;
  await createWallet({ root: walletRoot, name: 'stranger', hotkey: 'h' });
  chainFile = join(dir, 'chain.json');
  const chain = await LocalChain.open({ file: chainFile, blockTimeMs: 0 });
  await chain.createSubnet(NETUID);
  await chain.register({
    netuid: NETUID,
    hotkey: wallet.hotkey.address,
    coldkey: wallet.coldkeyAddress,
    stake: 10n ** 12n,
  });
  await chain.close();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const quiet = () => pino.destination({ dest: '/dev/null', sync: true });

function serve(walletName: string, storeDir: string, extra: string[] = []) {
  const stop = new AbortController();
  let started!: (running: RunningGatewayCli) => void;
  const running = new Promise<RunningGatewayCli>((resolve) => {
    started = resolve;
  });
  const run = runGatewayCli(
    [
      '--subtensor.network',
      `local:${chainFile}`,
      '--gateway.host',
      '127.0.0.1',
      '--gateway.port',
      '0',
      '--gateway.store-dir',
      storeDir,
      ...extra,
    ],
    {
      signal: stop.signal,
      env: {
        SIGNAL_GATEWAY_NETUID: String(NETUID),
        SIGNAL_GATEWAY_WALLET_PATH: walletRoot,
        SIGNAL_GATEWAY_WALLET_NAME: walletName,
        SIGNAL_GATEWAY_WALLET_HOTKEY: 'h',
        SIGNAL_GATEWAY_DASHBOARD_TOKEN: TOKEN,
      },
      logDestination: quiet(),
      onStarted: started,
    },
  );
  // A run that ends early (its error surfaces where the test awaits `run`) never starts.
  const ended = run.then(
    () => undefined,
    () => undefined,
  );
  return { stop, run, running: Promise.race([running, ended]) };
}

describe('signal gateway', () => {
  it('serves the gateway and a dashboard with the subnet and the keys’ usage, never a key', async () => {
    const storeDir = join(dir, 'store');
    const admin = await FileGatewayStore.open(storeDir, { role: 'admin' });
    const created = await admin.createKey({
      name: 'app',
      limits: { requestsPerMinute: 10, tokensPerDay: null },
    });
    await admin.close();
    const { stop, run, running } = serve('v', storeDir, ['--dashboard.port', '0']);
    try {
      const gateway = (await running)!;
      expect(gateway.dashboardUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/dashboard$/);
      const base = `http://127.0.0.1:${gateway.port}`;
      expect((await fetch(`${base}/v1/health`)).status).toBe(200);
      // No validator published miners into this store: refused, and metered as such.
      const condense = await fetch(`${base}/v1/condense`, {
        method: 'POST',
        headers: { authorization: `Bearer ${created.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ context: 'a long context' }),
      });
      expect(condense.status).toBeGreaterThanOrEqual(500);
      await gateway.flushUsage();

      const api = (path: string, token = TOKEN) =>
        fetch(`${gateway.dashboardUrl}/api/${path}`, {
          headers: { authorization: `Bearer ${token}` },
        });
      const denied = await api('gateway', created.key);
      expect(denied.status).toBe(401);
      expect(DashboardApiErrorSchema.parse(await denied.json()).error.code).toBe(
        'DASHBOARD_UNAUTHORIZED',
      );
      const info = DashboardInfoSchema.parse(await (await api('info')).json());
      expect(info).toMatchObject({
        role: 'gateway',
        netuid: NETUID,
        hotkey,
        pages: { subnet: true, miners: false, quality: false, gateway: true },
      });
      const subnet = SubnetViewSchema.parse(await (await api('subnet')).json());
      expect(subnet.neurons.map((neuron) => neuron.hotkey)).toEqual([hotkey]);
      const text = await (await api('gateway')).text();
      const view = GatewayViewSchema.parse(JSON.parse(text));
      expect(view.keys).toEqual([{ key_id: created.info.id, name: 'app', revoked: false }]);
      expect(view.usage).toEqual([
        expect.objectContaining({ key_id: created.info.id, status_5xx: 1, tokens_out: 0 }),
      ]);
      const stored = JSON.parse(await readFile(join(storeDir, 'keys.json'), 'utf8')) as {
        keys: Array<{ salt: string; hash: string }>;
      };
      const page = await (
        await fetch(`${gateway.dashboardUrl}/gateway`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        })
      ).text();
      expect(page).toContain(created.info.id);
      for (const body of [text, page]) {
        for (const secret of [created.key, stored.keys[0]!.salt, stored.keys[0]!.hash]) {
          expect(body).not.toContain(secret);
        }
      }
    } finally {
      stop.abort();
      await run;
    }
  });

  it('serves no dashboard unless given a port', async () => {
    const { stop, run, running } = serve('v', join(dir, 'store-plain'));
    try {
      expect((await running)!.dashboardUrl).toBeUndefined();
    } finally {
      stop.abort();
      await run;
    }
  });

  it('refuses a hotkey that holds no uid, by code', async () => {
    const { run } = serve('stranger', join(dir, 'store-stranger'), ['--dashboard.port', '0']);
    await expect(run).rejects.toMatchObject({ code: 'GATEWAY_HOTKEY_UNREGISTERED' });
  });

  it('takes the slow-client timeouts as flags, refusing values it cannot serve with', async () => {
    const zero = serve('v', join(dir, 'store-timeouts'), ['--gateway.headers-timeout', '0']);
    await expect(zero.run).rejects.toThrow(/--gateway\.headers-timeout must be an integer/);
    const inverted = serve('v', join(dir, 'store-timeouts'), [
      '--gateway.headers-timeout',
      '5000',
      '--gateway.request-timeout',
      '1000',
    ]);
    await expect(inverted.run).rejects.toMatchObject({ code: 'GATEWAY_SETTINGS_INVALID' });
    const { stop, run, running } = serve('v', join(dir, 'store-timeouts'), [
      '--gateway.headers-timeout',
      '2000',
      '--gateway.request-timeout',
      '4000',
    ]);
    try {
      const gateway = (await running)!;
      expect((await fetch(`http://127.0.0.1:${gateway.port}/v1/health`)).status).toBe(200);
    } finally {
      stop.abort();
      await run;
    }
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DashboardApiErrorSchema,
  DashboardInfoSchema,
  GatewayViewSchema,
  MinerDetailSchema,
  MinersViewSchema,
  QualityViewSchema,
  SubnetViewSchema,
} from '@signal/dashboard';
import { type LaunchedChromium, launchChromium } from '@signal/dashboard/testing';
import { parseApiKey } from '@signal/gateway';
import type { Page } from 'playwright-core';
import { type DevnetReport, DevnetReportSchema } from '../src/devnet/DevnetReport';

/*
 * The dashboard as an operator meets it: `signal devnet --keep-running` (the real binary,
 * one devnet for the whole file) serves it behind a token given in the env form, and
 * Debian's Chromium opens every page. Secrets are the devnet's own: its API key, its data
 * directory and wallet paths, and every private field of its wallets' keyfiles.
 */
const BIN = join(__dirname, '..', 'dist', 'bin.js');
const TOKEN = 'devnet-dashboard-token-7f3a91c2';
const ARTIFACTS = join(__dirname, '..', '..', '..', 'test-artifacts', 'dashboard');

let dataDir: string;
let devnet: ChildProcess;
let stderr = '';
let stdout = '';
let url: string;
let apiKey: string;
let apiKeyId: string;
let report: DevnetReport;
let browser: LaunchedChromium;
let secrets: string[];

function waitFor(pattern: RegExp, stream: () => string): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = stream().match(pattern);
      if (!match) return;
      devnet.stderr!.off('data', check);
      devnet.stdout!.off('data', check);
      resolve(match);
    };
    devnet.stderr!.on('data', check);
    devnet.stdout!.on('data', check);
    devnet.once('close', (code) => reject(new Error(`devnet exited ${code}: ${stderr}`)));
    check();
  });
}

/** The salt and hash the gateway's file store keeps of each API key. */
async function keyStoreSecrets(file: string): Promise<string[]> {
  const stored = JSON.parse(await readFile(file, 'utf8')) as {
    keys: Array<{ salt: string; hash: string }>;
  };
  expect(stored.keys.length).toBeGreaterThan(0);
  return stored.keys.flatMap((key) => [key.salt, key.hash]);
}

/** Every private value of every keyfile under the wallets root, and the paths themselves. */
async function walletSecrets(root: string): Promise<string[]> {
  const found = [root];
  for (const name of await readdir(root)) {
    const files = [join(root, name, 'coldkey'), join(root, name, 'hotkeys', 'default')];
    for (const file of files) {
      found.push(file);
      const keyfile = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
      for (const field of ['secretPhrase', 'secretSeed', 'privateKey']) {
        if (keyfile[field]) found.push(keyfile[field]!);
      }
      // A coldkey's address is not shown anywhere either.
      if (file.endsWith('coldkey')) found.push(keyfile.ss58Address!);
    }
  }
  return found;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'signal-dashboard-e2e-'));
  devnet = spawn(
    process.execPath,
    [
      BIN,
      'devnet',
      '--keep-running',
      '--json',
      '--miners',
      '2',
      '--tasks',
      '2',
      '--epochs',
      '2',
      '--epoch.length',
      '8',
      '--seed',
      '1',
      '--data-dir',
      dataDir,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SIGNAL_DEVNET_DASHBOARD_TOKEN: TOKEN },
    },
  );
  devnet.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  devnet.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  url = (await waitFor(/dashboard: (\S+)\n/, () => stderr))[1]!;
  apiKey = (await waitFor(/running: gateway \S+, API key (\S+);/, () => stderr))[1]!;
  // The report goes to stdout before these lines go to stderr, but the two pipes arrive apart.
  const reportLine = (await waitFor(/^(\{.*\})\n/, () => stdout))[1]!;
  report = DevnetReportSchema.parse(JSON.parse(reportLine));
  // Parsed as the gateway does: the secret is base64url and may itself hold "_", so a split
  // on "_" would take a fragment of it (as short as one character) for the secret.
  const parsed = parseApiKey(apiKey);
  if (!parsed) throw new Error(`the devnet printed an API key of another shape: ${apiKey}`);
  apiKeyId = parsed.id;
  secrets = [
    apiKey,
    parsed.secret,
    dataDir,
    ...(await walletSecrets(join(dataDir, 'wallets'))),
    ...(await keyStoreSecrets(join(dataDir, 'run', 'gateway', 'keys.json'))),
  ];
  browser = await launchChromium();
  await mkdir(ARTIFACTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (devnet && devnet.exitCode === null) {
    const closed = new Promise((resolve) => devnet.once('close', resolve));
    devnet.kill('SIGTERM');
    await closed;
  }
  await rm(dataDir, { recursive: true, force: true });
});

const authorized = (path: string) =>
  fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });

function expectNoSecret(where: string, body: string): void {
  for (const secret of secrets) expect([where, body.includes(secret)]).toEqual([where, false]);
}

describe('the devnet dashboard', () => {
  it('prints a loopback URL and answers 401 without the token', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/dashboard$/);
    for (const path of [
      '/api/info',
      '/api/subnet',
      '/api/miners',
      '/api/quality',
      '/api/gateway',
      '/api/events?views=miners',
    ]) {
      for (const headers of [
        {} as Record<string, string>,
        { authorization: 'Bearer wrong-token-wrong-token' },
        { authorization: `Bearer ${apiKey}` },
      ]) {
        const response = await fetch(`${url}${path}`, { headers });
        expect([path, response.status]).toEqual([path, 401]);
        expect(DashboardApiErrorSchema.parse(await response.json()).error.code).toBe(
          'DASHBOARD_UNAUTHORIZED',
        );
      }
    }
  });

  it('answers its JSON API in schema, and no response carries a secret', async () => {
    const info = DashboardInfoSchema.parse(await (await authorized('/api/info')).json());
    expect(info).toMatchObject({ role: 'validator', netuid: report.netuid });
    const bodies: Array<[string, string]> = [];
    const read = async (path: string) => {
      const response = await authorized(path);
      const text = await response.text();
      bodies.push([path, text]);
      return { status: response.status, text };
    };
    const subnet = SubnetViewSchema.parse(JSON.parse((await read('/api/subnet')).text));
    expect(subnet.neurons).toHaveLength(report.miners.length + 1);
    expect(subnet.commit_reveal.enabled).toBe(true);
    const miners = MinersViewSchema.parse(JSON.parse((await read('/api/miners')).text));
    expect(miners.miners.map((m) => m.uid).sort()).toEqual(report.miners.map((m) => m.uid).sort());
    for (const miner of report.miners) {
      const detail = MinerDetailSchema.parse(
        JSON.parse((await read(`/api/miners/${miner.uid}`)).text),
      );
      expect(detail.hotkey).toBe(miner.hotkey);
      expect(detail.epochs.length).toBeGreaterThanOrEqual(report.epochs);
    }
    QualityViewSchema.parse(JSON.parse((await read('/api/quality')).text));
    // The devnet's client condensed through the gateway with its key: one row for that key id.
    const gateway = GatewayViewSchema.parse(JSON.parse((await read('/api/gateway')).text));
    expect(gateway.keys).toEqual([{ key_id: apiKeyId, name: 'devnet-client', revoked: false }]);
    const rows = gateway.usage.filter((row) => row.key_id === apiKeyId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.requests).toBeGreaterThan(0);
    expect(rows[0]!.status_2xx).toBeGreaterThan(0);
    expect(rows[0]!.tokens_in).toBeGreaterThan(rows[0]!.tokens_out);
    expect(rows[0]!.tokens_out).toBeGreaterThan(0);
    for (const page of [
      'subnet',
      'miners',
      `miners?uid=${report.miners[0]!.uid}`,
      'quality',
      'gateway',
    ]) {
      expect((await read(`/${page}`)).status).toBe(200);
    }
    for (const [path, body] of bodies) expectNoSecret(path, body);
  });

  it('shows every page in Chromium, live, with no console error', async () => {
    const page: Page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    const shot = (name: string) =>
      page.screenshot({ path: join(ARTIFACTS, `devnet-${name}.png`), fullPage: true });
    try {
      await page.goto(`${url}/subnet`);
      await page.fill('#token', TOKEN);
      await page.click('button[type="submit"]');
      await page.waitForSelector('#metagraph');

      // Subnet: every miner (and the validator) in the table, by hotkey.
      const rows = page.locator('#metagraph tbody tr');
      expect(await rows.count()).toBe(report.miners.length + 1);
      const hotkeys = await page.$$eval('#metagraph td[data-column="hotkey"] code', (cells) =>
        cells.map((cell) => cell.getAttribute('title')),
      );
      for (const miner of report.miners) expect(hotkeys).toContain(miner.hotkey);
      expect(await page.textContent('[data-stat="Commit-reveal"] dd')).toBe('on');
      await page.waitForSelector('#live[data-state="live"]');
      expectNoSecret('subnet page', await page.content());
      await shot('subnet');

      // Miners: the poor miner's chart sits on its zero.
      const poor = report.miners.find((m) => m.poor)!;
      await page.click('nav a[href$="/miners"]');
      await page.waitForSelector('#miners');
      await page.click(`#miners tr[data-uid="${poor.uid}"]`);
      await page.waitForSelector(
        `#miner-detail[data-uid="${poor.uid}"] figure[data-chart="scores"] circle.point`,
      );
      const chart = page.locator('figure[data-chart="scores"]');
      const zeroLine = (await chart.locator('line.grid[data-y="0"]').boundingBox())!;
      const zeros = await chart
        .locator('circle.point[data-y="0"]')
        .evaluateAll((circles) =>
          circles.map((c) => c.getBoundingClientRect().y + c.getBoundingClientRect().height / 2),
        );
      expect(zeros.length).toBeGreaterThan(0);
      for (const y of zeros) expect(Math.abs(y - zeroLine.y)).toBeLessThan(1.5);
      expect(await page.textContent('[data-stat="Method"] dd')).toBe('random');
      expect(await page.locator('#evaluations tbody tr').count()).toBeGreaterThan(0);
      // The validator keeps running epochs: a new one shows up without a reload.
      const epochs = await chart.locator('circle.point').count();
      await chart
        .locator('circle.point')
        .nth(epochs)
        .waitFor({ state: 'attached', timeout: 120_000 });
      expectNoSecret('miners page', await page.content());
      await shot('miners');

      // Quality: a line per method the miners run.
      await page.click('nav a[href$="/quality"]');
      await page.waitForSelector('figure[data-chart^="quality-"]');
      const series = await page.$$eval('figure[data-chart="quality-recall"] g.series', (groups) =>
        groups.map((g) => g.getAttribute('data-series')).sort(),
      );
      expect(series).toEqual([...new Set(report.miners.map((m) => m.method))].sort());
      await shot('quality');

      // Gateway: the devnet key's usage row, by id; the key itself never shows.
      await page.click('nav a[href$="/gateway"]');
      const usageRow = page.locator(`#usage tbody tr[data-key="${apiKeyId}"]`);
      await usageRow.waitFor();
      expect(await usageRow.locator('code').textContent()).toBe(apiKeyId);
      expect(await usageRow.textContent()).toContain('devnet-client');
      expect(
        Number((await page.textContent('[data-stat="Requests"] dd'))!.replace(/\D/g, '')),
      ).toBeGreaterThan(0);
      expectNoSecret('gateway page', await page.content());
      await shot('gateway');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 240_000);
});

import type { Page } from 'playwright-core';
import { type RunningDashboard, startDashboard } from '../src/index';
import { type LaunchedChromium, launchChromium } from '../src/testing/index';
import { type FixtureState, fixtureSources } from './support/fixtureSources';
import { collectErrors, screenshot } from './support/pageWatch';

/*
 * The pages in Debian's Chromium against in-memory sources: what a person sees and does
 * (sorting, selecting a miner, a live update, a phone-sized screen, signing in).
 */
const TOKEN = 'browser-test-token-0123456789';

let browser: LaunchedChromium;
let open: RunningDashboard;
let guarded: RunningDashboard;
let state: FixtureState;

beforeAll(async () => {
  state = { epoch: 4, miners: 8, poorUid: 8 };
  [browser, open, guarded] = await Promise.all([
    launchChromium(),
    startDashboard({ sources: fixtureSources(state), refreshMs: 100 }),
    startDashboard({ sources: fixtureSources(state), refreshMs: 100, token: TOKEN }),
  ]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await open?.close();
  await guarded?.close();
});

async function withPage(run: (page: Page, errors: string[]) => Promise<void>): Promise<void> {
  const page = await browser.context.newPage();
  const errors = collectErrors(page);
  try {
    await run(page, errors);
    expect(errors).toEqual([]);
  } finally {
    await page.close();
  }
}

const firstUids = (page: Page) =>
  page.$$eval('#metagraph tbody tr', (rows) =>
    rows.slice(0, 3).map((r) => Number(r.getAttribute('data-uid'))),
  );

it('sorts the metagraph by a header, both ways, without a reload', async () => {
  await withPage(async (page) => {
    await page.goto(`${open.url}/subnet`);
    expect(await page.locator('#metagraph tbody tr').count()).toBe(state.miners + 1);
    await page.waitForSelector('#live[data-state="live"]');
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 1;
    });
    await page.click('#metagraph th a[data-sort="stake"]');
    expect(await firstUids(page)).toEqual([1, 2, 3]);
    await page.click('#metagraph th a[data-sort="stake"]');
    expect(await firstUids(page)).toEqual([0, 8, 7]);
    expect(page.url()).toContain('sort=stake&dir=desc');
    // Still the same document: sorting did not navigate.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    await page.reload();
    expect(await firstUids(page)).toEqual([0, 8, 7]);
  });
});

it('selects a miner and draws its zero, then follows a new epoch live', async () => {
  await withPage(async (page) => {
    await page.goto(`${open.url}/miners`);
    await page.waitForSelector('#live[data-state="live"]');
    await page.click(`#miners tr[data-uid="${state.poorUid}"]`);
    await page.waitForSelector(`#miner-detail[data-uid="${state.poorUid}"]`);
    expect(page.url()).toContain(`uid=${state.poorUid}`);
    const chart = page.locator('figure[data-chart="scores"]');
    const zero = await chart.locator('line.grid[data-y="0"]').boundingBox();
    const points = chart.locator('circle.point');
    expect(await points.count()).toBe(state.epoch);
    for (const box of await points.evaluateAll((circles) =>
      circles.map((c) => c.getBoundingClientRect().y + c.getBoundingClientRect().height / 2),
    )) {
      expect(Math.abs(box - zero!.y)).toBeLessThan(1.5);
    }
    const before = state.epoch;
    state.epoch += 1;
    await page.waitForFunction(
      (epoch) =>
        document.querySelectorAll('figure[data-chart="scores"] circle.point').length === epoch,
      state.epoch,
    );
    expect(await page.textContent('#miners caption')).toContain(`After epoch ${before + 1}`);
    await screenshot(page, 'fixture-miners');
  });
});

it('fits a phone-sized screen: nothing scrolls the page sideways', async () => {
  await withPage(async (page) => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const name of ['subnet', 'miners?uid=2', 'quality', 'gateway']) {
      await page.goto(`${open.url}/${name}`);
      const { scroll, client } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      expect([name, scroll]).toEqual([name, client]);
      for (const width of await page.$$eval('figure.chart svg', (svgs) =>
        svgs.map((svg) => svg.getBoundingClientRect().width),
      )) {
        expect(width).toBeLessThanOrEqual(375);
      }
    }
    await screenshot(page, 'fixture-narrow-gateway');
  });
});

it('asks for the token, then serves the pages and their live stream on the session', async () => {
  await withPage(async (page) => {
    const response = await page.goto(`${guarded.url}/gateway`);
    expect(response!.status()).toBe(200);
    expect(page.url()).toContain('/dashboard/login?next=');
    await page.fill('#token', 'not-the-right-token');
    await page.click('button[type="submit"]');
    await page.waitForSelector('.notice.error');
    await page.fill('#token', TOKEN);
    await page.click('button[type="submit"]');
    await page.waitForSelector('#usage');
    expect(page.url()).toBe(`${guarded.url}/gateway`);
    await page.waitForSelector('#live[data-state="live"]');
    const requests = () =>
      page.textContent('#usage tr[data-key="a1b2c3d4e5f6"] td[data-column="requests"]');
    const before = Number(await requests());
    state.epoch += 1;
    await page.waitForFunction(
      (expected) =>
        document.querySelector('#usage tr[data-key="a1b2c3d4e5f6"] td[data-column="requests"]')
          ?.textContent === String(expected),
      before + 1,
    );
  });
});

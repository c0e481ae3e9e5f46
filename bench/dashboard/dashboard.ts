/**
 * `pnpm bench:dashboard`: what the dashboard costs, on loopback, against a devnet-like data
 * source with 256 simulated miners: a LocalChain subnet of 257 neurons, and the validator's
 * own history store (32 epochs of 4 requests per miner, recent evaluations) and score state
 * behind `validatorDashboardSources`, with a gateway usage view of 8 keys × 30 days. The
 * dashboard runs in a child process so its CPU is its own. Prints one JSON document.
 *
 * - first render: per page, Debian's Chromium loads the page (cold connection, new tab) and
 *   reports first contentful paint; median of the rounds (target < 500 ms). Baseline in the
 *   same run: the same page's HTML served as a static file by a bare node:http server.
 * - CPU per viewer: N live viewers (0, 1, 8, 32, 64), each on the event stream and fetching the
 *   Miners view and one miner's detail on every change, as the page does, while a new epoch
 *   lands every second; the server's CPU milliseconds per second at each N, and the slope
 *   over N (the baseline is N = 0: the same updates with nobody watching).
 *
 *   npx tsx bench/dashboard/dashboard.ts [rounds=7] [window-seconds=8]
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalChain } from '../../packages/chain/src/index';
import type { GatewayView } from '../../packages/dashboard/src/index';
import { startDashboard } from '../../packages/dashboard/src/index';
import { launchChromium } from '../../packages/dashboard/src/testing/index';
import { validatorDashboardSources } from '../../packages/validator/src/dashboard/validatorDashboardSources';
import { EpochRecorder } from '../../packages/validator/src/history/EpochRecorder';
import { HistoryStore } from '../../packages/validator/src/history/HistoryStore';
import { ScoreStateStore } from '../../packages/validator/src/state/ScoreStateStore';

const MINERS = 256;
const EPOCHS = 32;
const REQUESTS = 4;
const REFRESH_MS = 1_000;
const PAGES = ['subnet', 'miners', 'quality', 'gateway'] as const;
const VIEWER_COUNTS = [0, 1, 8, 32, 64];

const address = (uid: number) => `5Sim${String(uid).padStart(5, '0')}${'x'.repeat(39)}`;
const METHODS = ['snapkv', 'expected_attention', 'knorm', 'streaming_llm', 'text', 'random'];

/** One simulated epoch for every miner: scores by method, some failures, latencies. */
function simulateEpoch(history: HistoryStore, scores: ScoreStateStore, epoch: number): void {
  const recorder = new EpochRecorder(epoch, (uid, hotkey, row) =>
    history.addEvaluation(uid, hotkey, row),
  );
  for (let uid = 1; uid <= MINERS; uid++) {
    const method = METHODS[uid % METHODS.length]!;
    const ratio = method === 'random' ? 0.9 : 0.25 + (uid % 4) * 0.15;
    for (let r = 0; r < REQUESTS; r++) {
      const seed = (uid * 7919 + epoch * 104_729 + r * 31) % 1000;
      const failed = seed < 40;
      const accuracy =
        method === 'random' ? 0 : Math.min(1, 1.1 - ratio * 0.6 + (seed % 100) / 500);
      recorder.observe({
        uid,
        hotkey: address(uid),
        tier: 'research',
        method,
        taskId: `${epoch}-${r}`,
        family: r % 2 === 0 ? 'recall' : 'multi_query',
        outcome: failed
          ? { ok: false, status: seed < 20 ? 408 : 503, message: 'simulated', latencyMs: 20_000 }
          : { ok: true, raw: {}, latencyMs: 20 + (seed % 300) },
        evaluation: failed
          ? { valid: false, code: 'QUERY_FAILED', message: 'simulated failure' }
          : {
              valid: true,
              format: 'kv',
              accuracy,
              fidelity: null,
              originalTokens: 1000,
              condensedTokens: Math.round(1000 * (1 - ratio)),
              compression: ratio,
            },
        scored: true,
        score: failed ? 0 : accuracy * 0.9 + ratio * 0.1,
      });
      scores.record({
        uid,
        hotkey: address(uid),
        tier: 'research',
        score: failed ? 0 : accuracy * 0.9,
        latencyMs: failed ? null : 30,
      });
    }
  }
  history.addEpoch(
    recorder.finish({
      block: epoch * 11,
      weights: new Map(Array.from({ length: MINERS }, (_, i) => [i + 1, 1 / MINERS])),
      movingScores: new Map(scores.state.miners.map((m) => [m.uid, m.score])),
    }),
  );
}

function gatewayView(day: number): GatewayView {
  const keys = Array.from({ length: 8 }, (_, k) => `${k.toString(16).padStart(2, '0')}a1b2c3d4e5`);
  return {
    keys: keys.map((key_id, k) => ({ key_id, name: `client-${k}`, revoked: k === 7 })),
    usage: keys.flatMap((key_id, k) =>
      Array.from({ length: 30 }, (_, d) => ({
        key_id,
        day: new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10),
        requests: 100 + k * 10 + d + day,
        status_2xx: 90 + d,
        status_4xx: 8 + k,
        status_5xx: 2,
        rate_limited: k,
        tokens_in: 100_000 + d * 1000,
        tokens_out: 30_000 + d * 300,
      })),
    ),
    generated_at: Date.now(),
  };
}

/** The child: the data source and the dashboard, answering CPU readings over IPC. */
async function serve(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'signal-bench-dashboard-'));
  const chain = await LocalChain.open({ blockTimeMs: 0 });
  await chain.createSubnet(1, { tempo: 10, commitRevealWeightsEnabled: true });
  await chain.register({ netuid: 1, hotkey: address(0), coldkey: address(0), stake: 10n ** 12n });
  for (let uid = 1; uid <= MINERS; uid++) {
    await chain.register({ netuid: 1, hotkey: address(uid), coldkey: address(uid) });
  }
  const history = await HistoryStore.open(join(dir, 'scores.history.json'));
  const scores = await ScoreStateStore.open(join(dir, 'scores.json'));
  let epoch = 0;
  for (; epoch < EPOCHS; epoch++) simulateEpoch(history, scores, epoch + 1);
  let day = 0;
  const dashboard = await startDashboard({
    sources: {
      ...validatorDashboardSources({
        chain,
        netuid: 1,
        hotkey: address(0),
        history,
        store: scores,
      }),
      gateway: async () => gatewayView(day),
    },
    refreshMs: REFRESH_MS,
    maxViewers: 128,
  });
  let updates: NodeJS.Timeout | undefined;
  process.on('message', (message: { type: string }) => {
    if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      process.send!({ type: 'cpu', micros: usage.user + usage.system, viewers: dashboard.viewers });
    } else if (message.type === 'updates') {
      // A new epoch and a new block every second, as a fast validator would publish them.
      updates = setInterval(() => {
        epoch += 1;
        day += 1;
        simulateEpoch(history, scores, epoch);
        chain.advance(1).catch(() => undefined);
      }, 1_000);
    } else if (message.type === 'stop') {
      clearInterval(updates);
      void dashboard
        .close()
        .then(() => chain.close())
        .then(() => rm(dir, { recursive: true, force: true }))
        .then(() => process.exit(0));
    }
  });
  process.send!({ type: 'ready', url: dashboard.url });
}

function ask<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: { type: string } & T) => {
      if (message.type !== type) return;
      child.off('message', listener);
      resolve(message);
    };
    child.on('message', listener);
    child.send({ type });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** A live viewer as the page is one: the stream, then the views it shows on every change. */
async function viewer(url: string, signal: AbortSignal): Promise<void> {
  const response = await fetch(`${url}/api/events?views=miners`, { signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const etags: Record<string, string> = {};
  const fetchView = async (path: string) => {
    const headers: Record<string, string> = etags[path] ? { 'if-none-match': etags[path]! } : {};
    const answer = await fetch(`${url}${path}`, { headers, signal });
    etags[path] = answer.headers.get('etag') ?? '';
    await answer.arrayBuffer();
  };
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (event.startsWith('event: change')) {
          await fetchView('/api/miners');
          await fetchView('/api/miners/7');
        }
        end = buffer.indexOf('\n\n');
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 7);
  const windowSeconds = Number(process.argv[3] ?? 8);
  const child = fork(process.argv[1]!, ['--serve'], { execArgv: process.execArgv });
  const { url } = await ask<{ url: string }>(child, 'ready');
  const browser = await launchChromium();
  const firstRender: Record<string, unknown> = {};
  const staticPages = new Map<string, string>();
  const statics = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(staticPages.get(request.url ?? '') ?? '');
  });
  await new Promise<void>((resolve) => statics.listen(0, '127.0.0.1', resolve));
  const staticUrl = `http://127.0.0.1:${(statics.address() as AddressInfo).port}`;
  try {
    for (const name of PAGES) {
      const path = name === 'miners' ? '/miners?uid=7' : `/${name}`;
      const html = await (await fetch(`${url}${path}`)).text();
      // The baseline: the same document, minus its script and stylesheet links, as a file.
      staticPages.set(
        `/${name}`,
        html.replace(/<script src=[^>]*><\/script>|<link rel="stylesheet"[^>]*>/g, ''),
      );
      const measure = async (target: string) => {
        const page = await browser.context.newPage();
        try {
          await page.goto(target, { waitUntil: 'load' });
          return await page.evaluate(async () => {
            const paint = await new Promise<number>((resolve) => {
              const seen = performance.getEntriesByName('first-contentful-paint')[0];
              if (seen) return resolve(seen.startTime);
              new PerformanceObserver((list) => resolve(list.getEntries()[0]!.startTime)).observe({
                type: 'paint',
                buffered: true,
              });
            });
            const navigation = performance.getEntriesByType(
              'navigation',
            )[0] as PerformanceNavigationTiming;
            return {
              fcp: paint,
              responseEnd: navigation.responseEnd,
              bytes: navigation.transferSize,
            };
          });
        } finally {
          await page.close();
        }
      };
      const runs: Array<{ fcp: number; responseEnd: number }> = [];
      const baseline: number[] = [];
      for (let r = 0; r < rounds; r++) {
        runs.push(await measure(`${url}${path}`));
        baseline.push((await measure(`${staticUrl}/${name}`)).fcp);
      }
      const fcp = median(runs.map((r) => r.fcp));
      const staticFcp = median(baseline);
      firstRender[name] = {
        first_contentful_paint_ms: round(fcp),
        html_received_ms: round(median(runs.map((r) => r.responseEnd))),
        html_bytes: Buffer.byteLength(html),
        static_file_fcp_ms: round(staticFcp),
        ratio_to_static: round(fcp / staticFcp, 2),
        under_target: fcp < 500,
      };
    }
  } finally {
    await browser.close();
    statics.close();
  }

  await ask(child, 'cpu');
  child.send({ type: 'updates' });
  const cpu: Array<{ viewers: number; cpu_ms_per_s: number }> = [];
  for (const viewers of VIEWER_COUNTS) {
    const controller = new AbortController();
    const running = Array.from({ length: viewers }, () => viewer(url, controller.signal));
    // Let the streams open and one update pass before measuring.
    await new Promise((resolve) => setTimeout(resolve, 2 * REFRESH_MS));
    const before = await ask<{ micros: number; viewers: number }>(child, 'cpu');
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, windowSeconds * 1000));
    const after = await ask<{ micros: number; viewers: number }>(child, 'cpu');
    const seconds = (performance.now() - started) / 1000;
    cpu.push({
      viewers: after.viewers,
      cpu_ms_per_s: round((after.micros - before.micros) / 1000 / seconds, 2),
    });
    controller.abort();
    await Promise.allSettled(running);
  }
  child.send({ type: 'stop' });
  const idle = cpu[0]!.cpu_ms_per_s;
  const most = cpu.at(-1)!;
  console.log(
    JSON.stringify(
      {
        miners: MINERS,
        epochs_kept: EPOCHS,
        refresh_ms: REFRESH_MS,
        first_render_target_ms: 500,
        first_render: firstRender,
        cpu_per_viewer: {
          window_seconds: windowSeconds,
          updates: 'one epoch for all 256 miners and one block per second',
          by_viewers: cpu,
          baseline_no_viewer_cpu_ms_per_s: idle,
          cpu_ms_per_s_per_viewer: round((most.cpu_ms_per_s - idle) / most.viewers, 3),
          cpu_share_of_one_core_per_viewer: round(
            (most.cpu_ms_per_s - idle) / most.viewers / 1000,
            5,
          ),
        },
      },
      null,
      2,
    ),
  );
}

if (process.argv.includes('--serve')) void serve();
else void main();

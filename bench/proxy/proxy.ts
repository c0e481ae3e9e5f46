/**
 * `pnpm bench:proxy`: what `signal proxy` costs and what it wins, every baseline measured in
 * the same run, on loopback. Prints one JSON document.
 *
 * - overhead: chat completions (1 token) against `signal serve` directly and through the
 *   proxy with condensing off, in alternating rounds; p50 latency difference, and
 *   throughput at 16 concurrent requests as a ratio (targets: ≤ 2 ms, ≥ 0.9×). The same
 *   windows run through a bare pass-through proxy (bareProxy.ts: the least a Node.js proxy
 *   does), and each process's CPU time per request is read from /proc, so the figure says
 *   how much of the gap is `signal proxy`'s own work and how much any proxy on these cores
 *   costs. The throughput is measured again with 16-token answers, where serve does more
 *   work per request, as any real model does, and with serve pinned to half the cores and
 *   the proxies and this client to the other half (taskset), as when the proxy runs beside
 *   the model server rather than on its cores.
 * - long prompt: a ~4 000-token recall document plus its question, direct vs through the
 *   proxy at each default tier (a subnet of three text miners, one per tier, on a
 *   LocalChain, with the validator's gateway): time to first token (cold: condensed now;
 *   warm: from the cache), prompt tokens the upstream saw, and whether the answer is right.
 * - cache: the repeated document is not condensed again (gateway calls before and after).
 *
 *   npx tsx bench/proxy/proxy.ts [overhead-requests=200]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { request } from 'undici';
import { createWallet, LocalChain } from '../../packages/chain/src/index';
import { SignalClient } from '../../packages/client-sdk/src/index';
import { DEFAULT_TIERS } from '../../packages/core/src/index';
import { FileGatewayStore } from '../../packages/gateway/src/index';
import { parseMinerConfig, startMiner } from '../../packages/miner/src/index';
import { startProxy } from '../../packages/proxy/src/index';
import { buildModel, recallVocabulary, TextTokenizer } from '../../packages/runtime/src/index';
import {
  type RecallTask,
  startValidator,
  synthesizeTasks,
} from '../../packages/validator/src/index';

const OVERHEAD_REQUESTS = Number(process.argv[2] ?? 200);
const MODEL = DEFAULT_TIERS[0]!.supportingModels[0]!;
// One text miner per tier, at these ratios; inference_0 takes at most 256 condensed tokens
// from a 3 000-character piece, so it must drop more. long_context (128 000 characters, made
// for KV payloads) is left out: the bench's 4 000-token prompt is not what it is for.
const RATIOS: Record<string, number> = { research: 0.5, inference_0: 0.8, inference_1: 0.7 };
const BENCH_TIERS = DEFAULT_TIERS.filter((tier) => tier.name in RATIOS);
const TEMPLATE = "{{ bos_token }}{% for m in messages %}{{ m['content'] }} {% endfor %}";
const quiet = pino({ level: 'silent' });

const BIN = join(__dirname, '..', '..', 'packages', 'cli', 'dist', 'bin.js');

interface Started {
  url: string;
  pid: number;
}

/**
 * Starts a process (on the given CPUs, through taskset, when `cpus` is set) and resolves
 * with the URL it says it listens on.
 */
function startListening(args: string[], children: ChildProcess[], cpus?: string): Promise<Started> {
  const child =
    cpus === undefined
      ? spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn('taskset', ['-c', cpus, process.execPath, ...args], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
  children.push(child);
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on (\S+)\n/.exec(stderr);
      if (match) resolve({ url: match[1]!, pid: child.pid! });
    });
    child.once('close', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`)));
  });
}

/** `signal <args>` as its own process, as deployed. */
const startSignal = (args: string[], children: ChildProcess[], cpus?: string) =>
  startListening([BIN, ...args], children, cpus);

/** The bare pass-through proxy, under the same TypeScript loader as this bench. */
const startBareProxy = (upstream: string, children: ChildProcess[], cpus?: string) =>
  startListening([...process.execArgv, join(__dirname, 'bareProxy.ts'), upstream], children, cpus);

/** Moves every thread of this process onto `cpus`. */
const pinSelf = (cpus: string) =>
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });

/** CPU time (user + system) a process has used, in microseconds. */
async function cpuMicros(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / CLOCK_TICKS_PER_S;
}
/** Linux's USER_HZ, the unit of /proc/<pid>/stat's times, is 100 on every mainstream build. */
const CLOCK_TICKS_PER_S = 100;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

async function chat(
  baseUrl: string,
  body: object,
): Promise<{ ms: number; json: unknown; headers: Record<string, unknown> }> {
  const started = performance.now();
  const response = await request(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.body.json();
  if (response.statusCode !== 200)
    throw new Error(`${response.statusCode}: ${JSON.stringify(json)}`);
  return { ms: performance.now() - started, json, headers: response.headers };
}

/** Milliseconds to the first content chunk of a streamed chat completion, and its usage. */
async function firstToken(baseUrl: string, body: object) {
  const started = performance.now();
  const response = await request(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, stream: true, stream_options: { include_usage: true } }),
  });
  if (response.statusCode !== 200) {
    throw new Error(`${response.statusCode}: ${await response.body.text()}`);
  }
  let ttft: number | undefined;
  let text = '';
  let usage: { prompt_tokens: number } | undefined;
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += chunk.toString();
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const event = buffer.slice(0, end).replace(/^data: /, '');
      buffer = buffer.slice(end + 2);
      if (event === '[DONE]') continue;
      const data = JSON.parse(event);
      const delta = data.choices?.[0]?.delta?.content;
      if (delta) {
        ttft ??= performance.now() - started;
        text += delta;
      }
      if (data.usage) usage = data.usage;
    }
  }
  return {
    ttftMs: round(ttft ?? Number.NaN, 1),
    text,
    promptTokens: usage?.prompt_tokens,
    condense: response.headers['x-signal-condense'],
  };
}

async function throughput(
  baseUrl: string,
  body: object,
  seconds: number,
  concurrency: number,
): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await chat(baseUrl, body);
        done++;
      }
    }),
  );
  return done / seconds;
}

interface Route {
  name: string;
  url: string;
  /** The processes that serve this route, whose CPU time is counted. */
  processes: Record<string, number>;
}

interface RouteFigures {
  req_per_s: number;
  /** CPU microseconds per request: each serving process, and this bench as the client. */
  cpu_us_per_request: Record<string, number>;
}

/**
 * Throughput of each route at 16 in flight, in alternating one-second windows so a change
 * in the machine's load hits every route alike, with the CPU time each process spent.
 */
async function throughputRounds(
  routes: Route[],
  body: object,
  rounds: number,
): Promise<Record<string, RouteFigures>> {
  const done = new Map<string, number>();
  const cpu = new Map<string, Map<string, number>>();
  for (let round = 0; round < rounds; round++) {
    for (const route of routes) {
      const before = await cpuSnapshot(route.processes);
      const client = process.cpuUsage();
      done.set(
        route.name,
        (done.get(route.name) ?? 0) + (await throughput(route.url, body, 1, 16)),
      );
      const spent = process.cpuUsage(client);
      const after = await cpuSnapshot(route.processes);
      const totals = cpu.get(route.name) ?? new Map<string, number>();
      for (const name of Object.keys(route.processes)) {
        totals.set(name, (totals.get(name) ?? 0) + after[name]! - before[name]!);
      }
      totals.set('client', (totals.get('client') ?? 0) + spent.user + spent.system);
      cpu.set(route.name, totals);
    }
  }
  const figures: Record<string, RouteFigures> = {};
  for (const route of routes) {
    const requests = done.get(route.name)!;
    figures[route.name] = {
      req_per_s: round(requests / rounds, 1),
      cpu_us_per_request: Object.fromEntries(
        [...cpu.get(route.name)!].map(([name, micros]) => [name, round(micros / requests, 0)]),
      ),
    };
  }
  return figures;
}

async function cpuSnapshot(processes: Record<string, number>): Promise<Record<string, number>> {
  const entries = await Promise.all(
    Object.entries(processes).map(async ([name, pid]) => [name, await cpuMicros(pid)] as const),
  );
  return Object.fromEntries(entries);
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'signal-bench-proxy-'));
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const modelDir = join(dir, 'recall');
    await buildModel({ arch: 'llama', preset: 'recall', outDir: modelDir });
    const templateFile = join(dir, 'recall.jinja');
    await writeFile(templateFile, TEMPLATE);
    const children: ChildProcess[] = [];
    closers.push(async () => {
      for (const child of children) child.kill('SIGTERM');
    });
    const tokenizer = await TextTokenizer.load(modelDir);
    // serve and the proxy run as their own processes, as deployed; this one only sends.
    const serveArgs = [
      'serve',
      '--model',
      modelDir,
      '--served-model-name',
      MODEL,
      '--chat-template',
      templateFile,
      '--port',
      '0',
      '--runtime.threads',
      '1',
    ];
    const plainProxyArgs = (upstream: string) => [
      'proxy',
      '--upstream',
      upstream,
      '--proxy.condense',
      'off',
      '--port',
      '0',
    ];
    const serve = await startSignal(serveArgs, children);
    const direct = serve.url;
    const plain = await startSignal(plainProxyArgs(direct), children);
    const viaPlain = plain.url;
    const bare = await startBareProxy(direct, children);
    const small = {
      model: MODEL,
      messages: [{ role: 'user', content: 'k01 v02 ; k01' }],
      temperature: 0,
      max_tokens: 1,
    };
    for (let i = 0; i < 20; i++) {
      await chat(direct, small);
      await chat(viaPlain, small);
      await chat(bare.url, small);
    }
    const directMs: number[] = [];
    const proxiedMs: number[] = [];
    for (let i = 0; i < OVERHEAD_REQUESTS; i++) {
      directMs.push((await chat(direct, small)).ms);
      proxiedMs.push((await chat(viaPlain, small)).ms);
    }
    const routes: Route[] = [
      { name: 'direct', url: direct, processes: { serve: serve.pid } },
      { name: 'proxy', url: viaPlain, processes: { serve: serve.pid, proxy: plain.pid } },
      { name: 'bare_proxy', url: bare.url, processes: { serve: serve.pid, proxy: bare.pid } },
    ];
    const oneToken = await throughputRounds(routes, small, 6);
    const longer = { ...small, max_tokens: 16 };
    const longerUsage = (await chat(direct, longer)).json as {
      usage: { completion_tokens: number };
    };
    const sixteenTokens = await throughputRounds(routes.slice(0, 2), longer, 4);

    // The same, with serve on half the cores and the proxies and this client on the other
    // half: a deployment where the proxy does not take its CPU out of the model server's.
    const cores = availableParallelism();
    let ownCores: Record<string, RouteFigures> | undefined;
    if (cores >= 2) {
      const serveCpus = `0-${Math.floor(cores / 2) - 1}`;
      const frontCpus = `${Math.floor(cores / 2)}-${cores - 1}`;
      const pinned: ChildProcess[] = [];
      try {
        const pinnedServe = await startSignal(serveArgs, pinned, serveCpus);
        const pinnedProxy = await startSignal(plainProxyArgs(pinnedServe.url), pinned, frontCpus);
        const pinnedBare = await startBareProxy(pinnedServe.url, pinned, frontCpus);
        pinSelf(frontCpus);
        const pinnedRoutes: Route[] = [
          { name: 'direct', url: pinnedServe.url, processes: { serve: pinnedServe.pid } },
          {
            name: 'proxy',
            url: pinnedProxy.url,
            processes: { serve: pinnedServe.pid, proxy: pinnedProxy.pid },
          },
          {
            name: 'bare_proxy',
            url: pinnedBare.url,
            processes: { serve: pinnedServe.pid, proxy: pinnedBare.pid },
          },
        ];
        for (let i = 0; i < 20; i++) for (const route of pinnedRoutes) await chat(route.url, small);
        ownCores = await throughputRounds(pinnedRoutes, small, 6);
      } finally {
        pinSelf(`0-${cores - 1}`);
        for (const child of pinned) child.kill('SIGTERM');
      }
    }

    // 2. A subnet: three text miners, one per default tier, and a validator with its gateway.
    const chain = await LocalChain.open({ blockTimeMs: 0 });
    closers.unshift(() => chain.close());
    await chain.createSubnet(1, { tempo: 10, weightsRateLimit: 0 });
    const wallet = async (name: string) =>
      (await createWallet({ root: join(dir, 'wallets'), name, hotkey: 'default', overwrite: true }))
        .wallet;
    const validatorWallet = await wallet('validator');
    await chain.register({
      netuid: 1,
      hotkey: validatorWallet.hotkey.address,
      coldkey: validatorWallet.coldkeyAddress,
      stake: 1_000n * 10n ** 9n,
    });
    for (const tier of BENCH_TIERS) {
      const minerWallet = await wallet(`miner-${tier.name}`);
      await chain.register({
        netuid: 1,
        hotkey: minerWallet.hotkey.address,
        coldkey: minerWallet.coldkeyAddress,
      });
      const miner = await startMiner({
        config: parseMinerConfig({
          models: { [MODEL]: { base_model_dir: modelDir } },
          tiers: {
            [tier.name]: {
              method: 'text',
              ratio: RATIOS[tier.name],
              granularity: 'word',
              aggregate: 'mean',
              force: { newlines: true, digits: true, punctuation: true },
            },
          },
          metrics_port: 0,
        }),
        chain,
        netuid: 1,
        hotkey: minerWallet.hotkey,
        logger: quiet,
        metrics: false,
      });
      closers.unshift(() => miner.close());
    }
    const gatewayDir = join(dir, 'gateway');
    const keys = await FileGatewayStore.open(gatewayDir, { role: 'admin' });
    const { key } = await keys
      .createKey({ name: 'bench', limits: { requestsPerMinute: null, tokensPerDay: null } })
      .finally(() => keys.close());
    const validator = await startValidator({
      chain,
      netuid: 1,
      hotkey: validatorWallet.hotkey,
      models: { [MODEL]: modelDir },
      stateFile: join(dir, 'validator-state.json'),
      gateway: { host: '127.0.0.1', port: 0, store: { dir: gatewayDir } },
      logger: quiet,
      metrics: false,
    });
    closers.unshift(() => validator.close());
    const gatewayUrl = `http://127.0.0.1:${validator.gatewayPort}`;

    // A ~4 000-token recall document (one word a token) and the key it asks about.
    const [task] = synthesizeTasks({
      seed: 'bench-proxy',
      tier: { name: 'long', maxContextChars: 12_800 },
      count: 1,
      families: ['recall'],
      recall: { vocabulary: recallVocabulary(), pairs: 8 },
    }) as [RecallTask];
    const documentTokens = tokenizer.encode(task.context).length;
    const ask = {
      model: MODEL,
      messages: [
        { role: 'user', content: task.context },
        { role: 'user', content: task.prompt },
      ],
      temperature: 0,
      max_tokens: 2,
      stop: [' '],
    };
    const baseline = await firstToken(direct, ask);
    const tiers: Record<string, unknown> = {};
    let gatewayCalls = 0;
    for (const tier of BENCH_TIERS) {
      const client = new SignalClient({
        gateway: { url: gatewayUrl, apiKey: key },
        timeoutMs: 120_000,
      });
      const counted = {
        condense: (...args: Parameters<SignalClient['condense']>) => {
          gatewayCalls++;
          return client.condense(...args);
        },
      };
      const proxy = await startProxy({
        upstream: { baseUrl: direct },
        condenser: counted,
        policy: { minTokens: 1_024, tier: tier.name },
        condenseTimeoutMs: 120_000,
        logger: quiet,
      });
      closers.unshift(
        () => client.close(),
        () => proxy.close(),
      );
      const before = gatewayCalls;
      const cold = await firstToken(`${proxy.url}/v1`, ask);
      const afterCold = gatewayCalls;
      const warm = await firstToken(`${proxy.url}/v1`, ask);
      tiers[tier.name] = {
        condense: cold.condense,
        ttft_cold_ms: cold.ttftMs,
        ttft_warm_ms: warm.ttftMs,
        upstream_prompt_tokens: cold.promptTokens,
        prompt_token_ratio: round(
          (cold.promptTokens ?? Number.NaN) / (baseline.promptTokens ?? Number.NaN),
        ),
        ttft_warm_ratio: round(warm.ttftMs / baseline.ttftMs),
        answer_right: cold.text === task.expected.answers[0],
        gateway_calls_cold: afterCold - before,
        gateway_calls_repeat: gatewayCalls - afterCold,
        warm_condense: warm.condense,
        fallback_reasons: (await proxy.metrics.fallbacks.get()).values.map((v) => v.labels.reason),
      };
    }

    const directP50 = percentile(directMs, 50);
    const proxiedP50 = percentile(proxiedMs, 50);
    process.stdout.write(
      `${JSON.stringify(
        {
          note: 'loopback, one machine; figures taken while other work may load it',
          overhead: {
            requests: OVERHEAD_REQUESTS,
            direct_p50_ms: round(directP50),
            proxied_p50_ms: round(proxiedP50),
            p50_overhead_ms: round(proxiedP50 - directP50),
            direct_p99_ms: round(percentile(directMs, 99)),
            proxied_p99_ms: round(percentile(proxiedMs, 99)),
            direct_req_per_s: oneToken.direct!.req_per_s,
            proxied_req_per_s: oneToken.proxy!.req_per_s,
            throughput_ratio: round(oneToken.proxy!.req_per_s / oneToken.direct!.req_per_s),
            bare_proxy_req_per_s: oneToken.bare_proxy!.req_per_s,
            bare_proxy_throughput_ratio: round(
              oneToken.bare_proxy!.req_per_s / oneToken.direct!.req_per_s,
            ),
            cpu_us_per_request: {
              direct: oneToken.direct!.cpu_us_per_request,
              proxy: oneToken.proxy!.cpu_us_per_request,
              bare_proxy: oneToken.bare_proxy!.cpu_us_per_request,
            },
            sixteen_token_answers: {
              completion_tokens: longerUsage.usage.completion_tokens,
              direct_req_per_s: sixteenTokens.direct!.req_per_s,
              proxied_req_per_s: sixteenTokens.proxy!.req_per_s,
              throughput_ratio: round(
                sixteenTokens.proxy!.req_per_s / sixteenTokens.direct!.req_per_s,
              ),
            },
            serve_on_own_cores:
              ownCores === undefined
                ? null
                : {
                    direct_req_per_s: ownCores.direct!.req_per_s,
                    proxied_req_per_s: ownCores.proxy!.req_per_s,
                    throughput_ratio: round(ownCores.proxy!.req_per_s / ownCores.direct!.req_per_s),
                    bare_proxy_throughput_ratio: round(
                      ownCores.bare_proxy!.req_per_s / ownCores.direct!.req_per_s,
                    ),
                  },
            targets: { p50_overhead_ms: 2, throughput_ratio: 0.9 },
          },
          long_prompt: {
            document_tokens: documentTokens,
            direct: {
              ttft_ms: baseline.ttftMs,
              upstream_prompt_tokens: baseline.promptTokens,
              answer_right: baseline.text === task.expected.answers[0],
            },
            tiers,
          },
          cache: {
            // Over the tiers whose first request was condensed: a failed condense is never cached.
            repeated_document_condensed_again: Object.values(tiers)
              .map((t) => t as { condense: unknown; gateway_calls_repeat: number })
              .filter((t) => t.condense === 'condensed')
              .some((t) => t.gateway_calls_repeat > 0),
          },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    for (const close of closers) await close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

void main();

/**
 * Real-model sources, measured side by side in one run (prints one JSON document):
 * - decode: greedy tokens/s of the q4 MatMulNBits GroupQueryAttention (onnxruntime-genai
 *   layout) variant against the fp32 optimum variant of the same seeded `small` weights, one
 *   intra-op thread each, rounds alternating which runs first;
 * - pull: throughput of `pullModel` from the loopback fake Hub (resolve → 302 → CDN, verified,
 *   into the huggingface_hub cache) against a bare `fetch` + `pipeline` to disk of the same
 *   files at the same concurrency (target ≥ 0.9×);
 * - warmLoad: time from an `hf:` reference already in the cache to a usable CausalLM
 *   (`loadCausalLM` online, its revision lookup overlapping the session on the cached
 *   snapshot; pull then `CausalLM.load` online, the sequential baseline, and offline) against
 *   `InferenceSession.create` on the
 *   snapshot's graph file (target ≤ 1.2×), and against a session on the graph CausalLM
 *   opens (the genai graph's explicit-positions rewrite), which isolates a load's fixed work.
 *
 *   npx tsx bench/models/models.ts [decodeTokens=64] [rounds=5] [pullMiB=96]
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { InferenceSession } from 'onnxruntime-node';
import { buildModel, CausalLM, loadCausalLM, pullModel } from '../../packages/runtime/src/index';
import { filesOf, startFakeHub } from '../../packages/runtime/test/hub/fakeHub';
import { median, promptIds, round, timeMs } from '../runtime/fixtures';

const decodeTokens = Number(process.argv[2] ?? 64);
const rounds = Number(process.argv[3] ?? 5);
const pullMiB = Number(process.argv[4] ?? 96);
/** The round trip a real Hub adds to each of its answers, for the overlap figures (loopback has none). */
const HUB_RTT_MS = 30;
const session = { intraOpThreads: 1, interOpThreads: 1 };

async function decode(root: string) {
  const q4 = await buildModel({
    arch: 'llama',
    size: 'small',
    seed: 5,
    outDir: join(root, 'q4'),
    layout: 'genai',
  });
  const fp32 = await buildModel({
    arch: 'llama',
    size: 'small',
    seed: 5,
    outDir: join(root, 'fp32'),
    layout: 'optimum',
  });
  const models = {
    q4Gqa: await CausalLM.load(q4.dir, { session }),
    fp32Optimum: await CausalLM.load(fp32.dir, { session }),
  };
  const prompt = promptIds(16, models.q4Gqa.vocabSize);
  const rate = async (lm: CausalLM) => {
    const ms = await timeMs(() =>
      lm.generateText(prompt, { maxNewTokens: decodeTokens, ignoreEos: true }),
    );
    return (decodeTokens / ms) * 1000;
  };
  for (const lm of Object.values(models)) await rate(lm);
  const rates: Record<keyof typeof models, number[]> = { q4Gqa: [], fp32Optimum: [] };
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? (['fp32Optimum', 'q4Gqa'] as const) : (['q4Gqa', 'fp32Optimum'] as const);
    for (const name of order) rates[name].push(await rate(models[name]));
  }
  const q4Rate = median(rates.q4Gqa);
  const fp32Rate = median(rates.fp32Optimum);
  const bytes = {
    q4Gqa: models.q4Gqa.modelDir.modelBytes,
    fp32Optimum: models.fp32Optimum.modelDir.modelBytes,
  };
  await Promise.all(Object.values(models).map((lm) => lm.dispose()));
  return {
    tokens: decodeTokens,
    q4GqaTokensPerSecond: round(q4Rate, 1),
    fp32OptimumTokensPerSecond: round(fp32Rate, 1),
    q4OverFp32: round(q4Rate / fp32Rate),
    modelBytes: bytes,
  };
}

async function pull(root: string) {
  const files = new Map<string, Buffer>([
    ['config.json', Buffer.from('{"model_type":"llama"}')],
    ['onnx/model.onnx', randomBytes(4 * 1024 * 1024)],
    ['onnx/model.onnx_data', randomBytes(pullMiB * 1024 * 1024)],
  ]);
  const hub = await startFakeHub([{ id: 'bench/pull', files }]);
  const totalBytes = [...files.values()].reduce((a, b) => a + b.length, 0);
  const commit = hub.commitOf('bench/pull');
  const ours = async (i: number) => {
    const cacheDir = join(root, `pull-${i}`);
    await pullModel('bench/pull', {
      kind: 'all',
      settings: { endpoint: hub.endpoint, cacheDir, offline: false },
    });
    await rm(cacheDir, { recursive: true, force: true });
  };
  const bare = async (i: number) => {
    const out = join(root, `bare-${i}`);
    await Promise.all(
      [...files.keys()].map(async (path) => {
        const target = join(out, path);
        await mkdir(dirname(target), { recursive: true });
        const response = await fetch(`${hub.endpoint}/bench/pull/resolve/${commit}/${path}`);
        await pipeline(
          Readable.fromWeb(response.body as ReadableStream),
          createWriteStream(target),
        );
      }),
    );
    await rm(out, { recursive: true, force: true });
  };
  await ours(-1);
  await bare(-1);
  const times = { ours: [] as number[], bare: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    if (r % 2) {
      times.bare.push(await timeMs(() => bare(r)));
      times.ours.push(await timeMs(() => ours(r)));
    } else {
      times.ours.push(await timeMs(() => ours(r)));
      times.bare.push(await timeMs(() => bare(r)));
    }
  }
  await hub.close();
  const mibPerS = (ms: number) => totalBytes / (1024 * 1024) / (ms / 1000);
  const ourRate = mibPerS(median(times.ours));
  const bareRate = mibPerS(median(times.bare));
  return {
    bytes: totalBytes,
    pullModelMiBPerSecond: round(ourRate, 1),
    bareFetchPipelineMiBPerSecond: round(bareRate, 1),
    ratio: round(ourRate / bareRate),
    target: '>= 0.9',
  };
}

async function warmLoad(root: string) {
  const built = await buildModel({
    arch: 'llama',
    size: 'small',
    seed: 5,
    outDir: join(root, 'warm'),
    layout: 'genai',
  });
  const hub = await startFakeHub([{ id: 'bench/warm', files: await filesOf(built.dir) }]);
  const cacheDir = join(root, 'warm-cache');
  const settings = { endpoint: hub.endpoint, cacheDir, offline: false };
  const first = await pullModel('hf:bench/warm@main', { settings });
  const warm = await CausalLM.load(first.dir, { session });
  // The graph CausalLM opens: the explicit-positions rewrite of the genai graph.
  const openedPath = warm.modelDir.modelPath;
  await warm.dispose();
  const modelPath = join(first.dir, 'model.onnx');
  // The same repository behind a Hub that answers after a network round trip.
  const far = await startFakeHub([{ id: 'bench/warm', files: await filesOf(built.dir) }], {
    latencyMs: HUB_RTT_MS,
  });
  const farSettings = { ...settings, endpoint: far.endpoint };
  const onlineRtt = async () => {
    await (
      await loadCausalLM('hf:bench/warm@main', { session, pull: { settings: farSettings } })
    ).dispose();
  };
  const onlineRttSequential = async () => {
    const { dir } = await pullModel('hf:bench/warm@main', { settings: farSettings });
    await (await CausalLM.load(dir, { session })).dispose();
  };
  // The revision lookup overlaps the session on the cached snapshot (loadCausalLM)…
  const online = async () => {
    await (await loadCausalLM('hf:bench/warm@main', { session, pull: { settings } })).dispose();
  };
  // …or runs before it (pull, then load): the same run's baseline for the overlap.
  const onlineSequential = async () => {
    const { dir } = await pullModel('hf:bench/warm@main', { settings });
    await (await CausalLM.load(dir, { session })).dispose();
  };
  const offline = async () => {
    const { dir } = await pullModel('hf:bench/warm@main', {
      settings: { ...settings, offline: true },
    });
    await (await CausalLM.load(dir, { session })).dispose();
  };
  const bareSession = async () => {
    await (
      await InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1 })
    ).release();
  };
  const openedSession = async () => {
    await (
      await InferenceSession.create(openedPath, { intraOpNumThreads: 1, interOpNumThreads: 1 })
    ).release();
  };
  const runners = {
    online,
    onlineSequential,
    onlineRtt,
    onlineRttSequential,
    offline,
    bareSession,
    openedSession,
  };
  for (const run of Object.values(runners)) await run();
  const times: Record<keyof typeof runners, number[]> = {
    online: [],
    onlineSequential: [],
    onlineRtt: [],
    onlineRttSequential: [],
    offline: [],
    bareSession: [],
    openedSession: [],
  };
  const names = Object.keys(runners) as (keyof typeof runners)[];
  for (let r = 0; r < rounds * 2; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length]!;
      times[name].push(await timeMs(runners[name]));
    }
  }
  await hub.close();
  await far.close();
  const bare = median(times.bareSession);
  return {
    bareSessionMs: round(bare, 1),
    warmOnlineMs: round(median(times.online), 1),
    warmOnlineSequentialMs: round(median(times.onlineSequential), 1),
    onlineOverSequential: round(median(times.online) / median(times.onlineSequential)),
    hubRttMs: HUB_RTT_MS,
    warmOnlineRttMs: round(median(times.onlineRtt), 1),
    warmOnlineRttSequentialMs: round(median(times.onlineRttSequential), 1),
    onlineRttOverSequential: round(median(times.onlineRtt) / median(times.onlineRttSequential)),
    warmOfflineMs: round(median(times.offline), 1),
    onlineOverBare: round(median(times.online) / bare),
    offlineOverBare: round(median(times.offline) / bare),
    // Against a session on the very graph CausalLM opens: the fixed work of a load alone.
    openedSessionMs: round(median(times.openedSession), 1),
    onlineOverOpened: round(median(times.online) / median(times.openedSession)),
    offlineOverOpened: round(median(times.offline) / median(times.openedSession)),
    target: '<= 1.2',
  };
}

async function main() {
  const root = await mkdtemp(join(tmpdir(), 'signal-bench-models-'));
  process.env.SIGNAL_CACHE = join(root, 'signal');
  try {
    const result = {
      decode: await decode(root),
      pull: await pull(root),
      warmLoad: await warmLoad(root),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

void main();

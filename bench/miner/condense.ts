/**
 * Where a Condense request's time goes on the `small` built model (4 layers, 8 heads / 2 KV
 * heads, head_dim 32): prefill, press scoring, gather and payload encoding per method, each
 * phase timed around the same calls `condenseKv` makes. The baseline, measured in the same
 * run, is a bare `CausalLM.prefill` of the same context on the same weights built without the
 * query outputs snapkv reads: the work any condenser must pay. Targets: press + gather +
 * encode ≤ 10 % of that prefill for knorm and streaming_llm, ≤ 25 % for snapkv (scored in
 * ONNX Runtime as the miner does; the TypeScript scorer is reported beside it). Phases are
 * reported in CPU time (process.cpuUsage: ORT runs on one thread here, and CPU time is what
 * stays comparable on a shared machine) and wall time. Also reports payload bytes per kept
 * token, float16 against float32 (raw tensor bytes and base64 as sent). Prints JSON.
 *
 *   npx tsx bench/miner/condense.ts [chars=2500] [ratio=0.5] [repeats=5]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { declaredByteLength, type KvPayload } from '../../packages/core/src/index';
import type { CondenseTimings } from '../../packages/miner/src/condensers/CondenseResult';
import { condenseText } from '../../packages/miner/src/condensers/condenseText';
import { pressLayers } from '../../packages/miner/src/condensers/pressLayers';
import {
  type SnapKvParameters,
  WindowAttention,
} from '../../packages/miner/src/condensers/WindowAttention';
import { type TargetModelLease, TargetModels } from '../../packages/miner/src/models/TargetModels';
import { keptCount } from '../../packages/miner/src/presses/keptCount';
import type { PressName, PressOptionsByName } from '../../packages/miner/src/presses/presses';
import { runPress } from '../../packages/miner/src/presses/runPress';
import { selectKept } from '../../packages/miner/src/presses/selectKept';
import { buildModel, CausalLM, kvCacheToPayload } from '../../packages/runtime/src/index';

const chars = Number(process.argv[2] ?? 2500);
const ratio = Number(process.argv[3] ?? 0.5);
const repeats = Number(process.argv[4] ?? 5);
const SESSION = { intraOpThreads: 1, interOpThreads: 1 };
const METHODS: readonly {
  name: string;
  press: PressName;
  options: object;
  engine: 'ort' | 'ts';
  target?: number;
}[] = [
  { name: 'knorm', press: 'knorm', options: {}, engine: 'ts', target: 0.1 },
  {
    name: 'streaming_llm',
    press: 'streaming_llm',
    options: { sinkTokens: 4 },
    engine: 'ts',
    target: 0.1,
  },
  {
    name: 'snapkv',
    press: 'snapkv',
    options: { window: 64, kernel: 5 },
    engine: 'ort',
    target: 0.25,
  },
  {
    name: 'snapkv (TypeScript scorer)',
    press: 'snapkv',
    options: { window: 64, kernel: 5 },
    engine: 'ts',
  },
  { name: 'random', press: 'random', options: { seed: 0 }, engine: 'ts' },
  {
    name: 'expected_attention',
    press: 'expected_attention',
    options: { futurePositions: 512, sinkTokens: 4, ropeTheta: 10_000 },
    engine: 'ts',
  },
];

const SENTENCES = [
  'The archive lists 412 shipments that left the northern port between March and June.',
  'Each record names the vessel, its captain, the cargo and the day it reached harbour.',
  'Several entries were corrected later, in a different hand, with notes about storms.',
  'A clerk added that the grain ships waited nine days for the river to fall.',
];

function context(length: number): string {
  let text = '';
  for (let i = 0; text.length < length; i++) text += `${SENTENCES[i % SENTENCES.length]} `;
  return text.slice(0, length);
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function medianPhases(runs: readonly CondenseTimings[]): CondenseTimings {
  const pick = (key: keyof CondenseTimings) => round(median(runs.map((run) => run[key])));
  return {
    prefillMs: pick('prefillMs'),
    scoringMs: pick('scoringMs'),
    gatherMs: pick('gatherMs'),
    encodeMs: pick('encodeMs'),
  };
}

/** CPU and wall milliseconds since the last lap. */
function stopwatch(): () => { cpu: number; wall: number } {
  let cpu = process.cpuUsage();
  let wall = performance.now();
  return () => {
    const used = process.cpuUsage(cpu);
    const now = performance.now();
    const lap = { cpu: (used.user + used.system) / 1000, wall: now - wall };
    cpu = process.cpuUsage();
    wall = now;
    return lap;
  };
}

interface Phases {
  cpu: CondenseTimings;
  wall: CondenseTimings;
}

/** One kv Condense, phase by phase, as `condenseKv` runs it. */
async function phasesOf(
  lease: TargetModelLease,
  ids: readonly number[],
  press: PressName,
  options: object,
  kept: number,
  windowAttention: WindowAttention,
  engine: 'ort' | 'ts',
): Promise<Phases> {
  const lap = stopwatch();
  const prefill = await lease.lm.prefill(ids);
  const a = lap();
  const ratio = (ids.length - kept) / ids.length;
  // The miner scores snapkv in ONNX Runtime (WindowAttention); `engine: 'ts'` runs the
  // TypeScript press instead, for comparison.
  const selection =
    press === 'snapkv' && engine === 'ort'
      ? selectKept(await windowAttention.snapKvScores(prefill, options as SnapKvParameters), ratio)
      : runPress({
          press,
          layers: pressLayers(prefill, press, lease.name),
          ratio,
          options: options as PressOptionsByName[typeof press],
        });
  const b = lap();
  const pruned = prefill.cache.gather(
    selection.layers.map((heads) => heads.map((h) => Array.from(h))),
  );
  const c = lap();
  kvCacheToPayload(pruned, { model: lease.name, dtype: 'float16', originalTokens: ids.length });
  const d = lap();
  const phases = (key: 'cpu' | 'wall'): CondenseTimings => ({
    prefillMs: a[key],
    scoringMs: b[key],
    gatherMs: c[key],
    encodeMs: d[key],
  });
  return { cpu: phases('cpu'), wall: phases('wall') };
}

function payloadBytes(payload: KvPayload): { raw: number; wire: number } {
  let raw = 0;
  let wire = 0;
  for (const layer of payload.layers) {
    for (const tensor of [layer.key, layer.value]) {
      raw += declaredByteLength(tensor.dtype, tensor.shape);
      wire += tensor.buffer.length;
    }
  }
  return { raw, wire };
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'signal-bench-condense-'));
  const build = (name: string, exposeQueries: boolean) =>
    buildModel({ arch: 'llama', size: 'small', seed: 11, outDir: join(root, name), exposeQueries });
  const [withQueries, bare] = await Promise.all([build('queries', true), build('bare', false)]);
  const models = new TargetModels({
    models: {
      small: { base_model_dir: withQueries.dir },
    },
    memoryBytes: 4 * 1024 ** 3,
    adapterBytes: 64 * 1024 ** 2,
    adapterCacheDir: join(root, 'adapters'),
    session: SESSION,
    // expected_attention reads pre-RoPE queries; the baseline model keeps its plain graph.
    preRopeQueries: true,
  });
  const windowAttention = await WindowAttention.create(SESSION);
  const lease = await models.acquire('small', null);
  const baselineLm = await CausalLM.load(bare.dir, { session: SESSION });
  try {
    const text = context(chars);
    const ids = lease.lm.tokenizer.encode(text);
    const kept = keptCount(ids.length, ratio);

    // The baseline: a bare prefill, warmed up once.
    await baselineLm.prefill(ids);
    const baseline: Array<{ cpu: number; wall: number }> = [];
    for (let r = 0; r < repeats; r++) {
      const lap = stopwatch();
      await baselineLm.prefill(ids);
      baseline.push(lap());
    }
    const baselineCpuMs = median(baseline.map((b) => b.cpu));

    const methods: Record<string, unknown> = {};
    for (const method of METHODS) {
      const runs: Phases[] = [];
      for (let r = 0; r <= repeats; r++) {
        const phases = await phasesOf(
          lease,
          ids,
          method.press,
          method.options,
          kept,
          windowAttention,
          method.engine,
        );
        if (r > 0) runs.push(phases);
      }
      const cpu = medianPhases(runs.map((run) => run.cpu));
      const overhead = (cpu.scoringMs + cpu.gatherMs + cpu.encodeMs) / baselineCpuMs;
      methods[method.name] = {
        cpu,
        wall: medianPhases(runs.map((run) => run.wall)),
        overheadVsPrefill: round(overhead),
        ...(method.target === undefined
          ? {}
          : { target: method.target, meetsTarget: overhead <= method.target }),
      };
    }

    // Text: the "prefill" is the scoring pass over every token, the rest is ranking and counting.
    const textRuns: CondenseTimings[] = [];
    for (let r = 0; r <= Math.min(repeats, 3); r++) {
      const { timings } = await condenseText({ model: lease, context: text, ratio, options: {} });
      if (r > 0) textRuns.push(timings);
    }
    methods.text = { wall: medianPhases(textRuns) };

    const prefill = await lease.lm.prefill(ids);
    const selection = runPress({
      press: 'knorm',
      layers: pressLayers(prefill, 'knorm', 'small'),
      ratio: (ids.length - kept) / ids.length,
    });
    const pruned = prefill.cache.gather(
      selection.layers.map((heads) => heads.map((h) => Array.from(h))),
    );
    const sizes: Record<string, { rawBytesPerKeptToken: number; wireBytesPerKeptToken: number }> =
      {};
    for (const dtype of ['float16', 'float32'] as const) {
      const payload = kvCacheToPayload(pruned, {
        model: 'small',
        dtype,
        originalTokens: ids.length,
      });
      const bytes = payloadBytes(payload);
      sizes[dtype] = {
        rawBytesPerKeptToken: round(bytes.raw / payload.kept, 1),
        wireBytesPerKeptToken: round(bytes.wire / payload.kept, 1),
      };
    }

    const { signature } = lease.lm;
    process.stdout.write(
      `${JSON.stringify(
        {
          benchmark: 'miner/condense',
          model: {
            size: 'small',
            layers: signature.numLayers,
            kvHeads: signature.kvHeads,
            headDim: signature.headDim,
          },
          contextChars: text.length,
          contextTokens: ids.length,
          ratio,
          kept,
          repeats,
          baseline: {
            name: 'bare CausalLM.prefill (no query outputs)',
            cpuMs: round(baselineCpuMs),
            wallMs: round(median(baseline.map((b) => b.wall))),
          },
          methods,
          payload: {
            ...sizes,
            float16VsFloat32: round(
              sizes.float16!.rawBytesPerKeptToken / sizes.float32!.rawBytesPerKeptToken,
            ),
          },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    lease.release();
    await baselineLm.dispose();
    await models.dispose();
    await windowAttention.dispose();
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});

/**
 * Greedy decode throughput of CausalLM against @huggingface/transformers (transformers.js)
 * generating from the same builder model directory, offline (`allowRemoteModels = false`,
 * `localModelPath`), both on the same onnxruntime-node build. Each run is a 16-token prompt
 * plus `tokens` new tokens; figures are medians over rounds that time every side back to back.
 * A bare ORT loop over CausalLM's session (bareOrtLoop.ts) runs too: its ratio is the ceiling
 * any runtime on this graph can reach. Also checks that all three produce the same greedy
 * tokens.
 *
 * Two configurations, each with its own sessions: both libraries at their defaults (ORT picks
 * the intra-op thread count, what a user gets), and both pinned to one intra-op thread (the
 * controlled comparison, where nearly all time is the shared ORT graph). Target: CausalLM
 * ≥ 1.2× at the defaults. Prints JSON.
 *
 *   npx tsx bench/runtime/vsTransformers.ts [repeats=36] [tokens=64]
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AutoModelForCausalLM, env, type PreTrainedModel, Tensor } from '@huggingface/transformers';
import { CausalLM, type SessionOptionsInput } from '../../packages/runtime/src/index';
import { bareOrtLoop } from './bareOrtLoop';
import { cpuMs, median, promptIds, round, smallModelDir, timeMs } from './fixtures';

const repeats = Number(process.argv[2] ?? 36);
const newTokens = Number(process.argv[3] ?? 64);

interface Configuration {
  transformersJs: Record<string, number>;
  causalLm: SessionOptionsInput;
}

const CONFIGURATIONS: Record<string, Configuration> = {
  libraryDefaults: { transformersJs: {}, causalLm: {} },
  oneIntraOpThread: {
    transformersJs: { intraOpNumThreads: 1, interOpNumThreads: 1 },
    causalLm: { intraOpThreads: 1, interOpThreads: 1 },
  },
};

async function compare(model: { name: string; dir: string }, configuration: Configuration) {
  const tjs = (await AutoModelForCausalLM.from_pretrained(model.name, {
    dtype: 'fp32',
    device: 'cpu',
    session_options: configuration.transformersJs,
  })) as PreTrainedModel;
  const lm = await CausalLM.load(model.dir, { session: configuration.causalLm });
  const prompt = promptIds(16, lm.vocabSize);

  const runTjs = async (): Promise<number[]> => {
    const inputIds = new Tensor('int64', BigInt64Array.from(prompt.map(BigInt)), [
      1,
      prompt.length,
    ]);
    const mask = new Tensor('int64', new BigInt64Array(prompt.length).fill(1n), [1, prompt.length]);
    const out = (await tjs.generate({
      input_ids: inputIds,
      attention_mask: mask,
      max_new_tokens: newTokens,
      // No EOS: neither side stops at it nor suppresses it (min_new_tokens would mask it).
      eos_token_id: [],
      do_sample: false,
    })) as Tensor;
    return Array.from(out.data as BigInt64Array, Number).slice(prompt.length);
  };
  const runOurs = async (): Promise<number[]> =>
    (await lm.generateText(prompt, { maxNewTokens: newTokens, ignoreEos: true })).tokens;
  const loop = bareOrtLoop(lm);
  const runBare = () => loop.decode(prompt, newTokens);

  const reference = JSON.stringify(await runTjs());
  const sameTokens =
    reference === JSON.stringify(await runOurs()) && reference === JSON.stringify(await runBare());
  const runners = { transformersJs: runTjs, causalLm: runOurs, bareOrt: runBare };
  type Name = keyof typeof runners;
  const names = Object.keys(runners) as Name[];
  for (let i = 0; i < 3; i++) for (const name of names) await runners[name]();
  // One round times the three back to back. Rounds cycle through every order of the three,
  // so each follows each other equally often (transformers.js leaves garbage for whoever runs
  // next to collect) and load drifting on shared cores lands on all alike; ratios are medians
  // of the per-round ratios.
  const [t, c, b] = names as [Name, Name, Name];
  const orders: Name[][] = [
    [t, c, b],
    [t, b, c],
    [c, t, b],
    [c, b, t],
    [b, t, c],
    [b, c, t],
  ];
  const rounds: Record<Name, { wall: number; cpu: number }>[] = [];
  for (let r = 0; r < repeats; r++) {
    const order = orders[r % orders.length]!;
    const timings = {} as Record<Name, { wall: number; cpu: number }>;
    for (const name of order) {
      let cpu = 0;
      const wall = await timeMs(async () => {
        cpu = await cpuMs(runners[name]);
      });
      timings[name] = { wall, cpu };
    }
    rounds.push(timings);
  }
  await tjs.dispose();
  await lm.dispose();

  const medianMs = (name: Name) => median(rounds.map((r) => r[name].wall));
  const rate = (name: Name) => ({
    tokensPerS: round((newTokens * 1000) / medianMs(name), 1),
    medianMs: round(medianMs(name), 1),
    cpuMedianMs: round(median(rounds.map((r) => r[name].cpu)), 1),
  });
  const speedup = (name: Name, kind: 'wall' | 'cpu') =>
    round(median(rounds.map((r) => r.transformersJs[kind] / r[name][kind])));
  return {
    sameGreedyTokens: sameTokens,
    transformersJs: rate('transformersJs'),
    causalLm: rate('causalLm'),
    bareOrt: rate('bareOrt'),
    ratio: speedup('causalLm', 'wall'),
    cpuRatio: speedup('causalLm', 'cpu'),
    // What a runtime adding zero cost to the ORT graph would reach against transformers.js.
    bareOrtRatio: speedup('bareOrt', 'wall'),
    bareOrtCpuRatio: speedup('bareOrt', 'cpu'),
  };
}

async function main(): Promise<void> {
  const model = await smallModelDir();
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${model.root}/`;
  const results: Record<string, Awaited<ReturnType<typeof compare>>> = {};
  for (const [name, configuration] of Object.entries(CONFIGURATIONS)) {
    results[name] = await compare(model, configuration);
  }
  console.log(
    JSON.stringify(
      {
        bench: 'runtime/vsTransformers',
        model: { size: 'small', dir: 'builder output, HF layout, onnx/model.onnx' },
        repeats,
        promptTokens: 16,
        newTokens,
        ...results,
        target: 'libraryDefaults.ratio >= 1.2',
        met: results.libraryDefaults!.ratio >= 1.2,
      },
      null,
      2,
    ),
  );
  await rm(dirname(model.root), { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

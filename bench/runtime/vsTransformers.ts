/**
 * Greedy decode throughput of CausalLM against @huggingface/transformers (transformers.js)
 * generating from the same builder model directory, offline (`allowRemoteModels = false`,
 * `localModelPath`), both on onnxruntime-node with one intra-op thread. Each run is a
 * 16-token prompt plus `tokens` new tokens; runs are timed in back-to-back pairs and the figures are medians.
 * Also checks that both produce the same greedy tokens. Target: CausalLM ≥ 1.2×. Prints JSON.
 *
 *   npx tsx bench/runtime/vsTransformers.ts [repeats=9] [tokens=64]
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AutoModelForCausalLM, env, type PreTrainedModel, Tensor } from '@huggingface/transformers';
import { CausalLM } from '../../packages/runtime/src/index';
import { cpuMs, median, promptIds, round, smallModelDir, timeMs } from './fixtures';

const repeats = Number(process.argv[2] ?? 9);
const newTokens = Number(process.argv[3] ?? 64);

async function main(): Promise<void> {
  const model = await smallModelDir();
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${model.root}/`;
  const tjs = (await AutoModelForCausalLM.from_pretrained(model.name, {
    dtype: 'fp32',
    device: 'cpu',
    session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 },
  })) as PreTrainedModel;
  const lm = await CausalLM.load(model.dir, { session: { intraOpThreads: 1, interOpThreads: 1 } });
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

  const sameTokens = JSON.stringify(await runTjs()) === JSON.stringify(await runOurs());
  await runTjs();
  await runOurs();
  const pairs: number[][] = [];
  const one = async (fn: () => Promise<unknown>) => {
    let cpu = 0;
    const wall = await timeMs(async () => {
      cpu = await cpuMs(fn);
    });
    return [wall, cpu] as const;
  };
  for (let r = 0; r < repeats; r++) {
    // Back-to-back pairs, order alternating, so load drifting on shared cores cancels.
    let t: readonly [number, number];
    let o: readonly [number, number];
    if (r % 2 === 0) {
      t = await one(runTjs);
      o = await one(runOurs);
    } else {
      o = await one(runOurs);
      t = await one(runTjs);
    }
    pairs.push([t[0], o[0], t[1], o[1]]);
  }
  const tjsMs = median(pairs.map((p) => p[0]!));
  const oursMs = median(pairs.map((p) => p[1]!));
  console.log(
    JSON.stringify(
      {
        bench: 'runtime/vsTransformers',
        model: { size: 'small', dir: 'builder output, HF layout, onnx/model.onnx' },
        repeats,
        promptTokens: prompt.length,
        newTokens,
        sameGreedyTokens: sameTokens,
        transformersJs: {
          tokensPerS: round((newTokens * 1000) / tjsMs, 1),
          medianMs: round(tjsMs, 1),
        },
        causalLm: { tokensPerS: round((newTokens * 1000) / oursMs, 1), medianMs: round(oursMs, 1) },
        ratio: round(median(pairs.map((p) => p[0]! / p[1]!))),
        cpuRatio: round(median(pairs.map((p) => p[2]! / p[3]!))),
        cpuMedianMs: {
          transformersJs: round(median(pairs.map((p) => p[2]!)), 1),
          causalLm: round(median(pairs.map((p) => p[3]!)), 1),
        },
        target: 'ratio >= 1.2',
      },
      null,
      2,
    ),
  );
  await tjs.dispose();
  await lm.dispose();
  await rm(dirname(model.root), { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

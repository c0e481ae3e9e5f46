/**
 * Prefill and decode throughput of CausalLM against a bare `InferenceSession.run` loop over
 * the same session and the same inputs (see bareOrtLoop.ts).
 * Each repeat times both back to back, so load from other processes lands on both alike;
 * figures are medians, the ratio a median of paired ratios. Target: CausalLM ≥ 0.95× bare.
 * `decodeWithGenerateText` is the full generation stack (sampling, stop checks, text
 * streaming) against the same bare loop. Prints JSON.
 *
 *   npx tsx bench/runtime/throughput.ts [repeats=51] [prompt=128] [decode=64]
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { argmax, CausalLM } from '../../packages/runtime/src/index';
import { bareOrtLoop } from './bareOrtLoop';
import { cpuMs, median, promptIds, round, smallModelDir, timeMs } from './fixtures';

const repeats = Number(process.argv[2] ?? 51);
const promptLength = Number(process.argv[3] ?? 128);
const decodeTokens = Number(process.argv[4] ?? 64);

async function main(): Promise<void> {
  const model = await smallModelDir();
  const lm = await CausalLM.load(model.dir, { session: { intraOpThreads: 1, interOpThreads: 1 } });
  const { numLayers, kvHeads, headDim } = lm.signature;
  const ids = promptIds(promptLength, lm.vocabSize);
  const loop = bareOrtLoop(lm);
  const bare = {
    prefill: () => loop.prefill(ids),
    // A prefill plus decodeTokens steps, as on the CausalLM side.
    decode: () => loop.decode(ids.slice(0, 16), decodeTokens + 1),
  };
  const ours = {
    prefill: async () => lm.prefill(ids),
    decode: async () => {
      let { logits, cache } = await lm.prefill(ids.slice(0, 16));
      for (let i = 0; i < decodeTokens; i++)
        ({ logits, cache } = await lm.step(argmax(logits.at(0)), cache));
    },
    generate: async () =>
      lm.generateText(ids.slice(0, 16), { maxNewTokens: decodeTokens + 1, ignoreEos: true }),
  };

  // Warm up both paths: ORT grows its arenas over the first runs, and the first few
  // measured pairs otherwise run visibly slower than the rest.
  for (let i = 0; i < 5; i++) {
    await bare.prefill();
    await ours.prefill();
    await bare.decode();
    await ours.decode();
  }
  // Each repeat times bare and CausalLM back to back (order alternating) and keeps their
  // ratio, so load drifting on the shared cores cancels within a pair; medians over pairs.
  const pairs = { prefill: [] as number[][], decode: [] as number[][], generate: [] as number[][] };
  for (let r = 0; r < repeats; r++) {
    const pair = async (a: () => Promise<unknown>, b: () => Promise<unknown>) => {
      const one = async (fn: () => Promise<unknown>) => {
        let cpu = 0;
        const wall = await timeMs(async () => {
          cpu = await cpuMs(fn);
        });
        return [wall, cpu] as const;
      };
      let ra: readonly [number, number];
      let rb: readonly [number, number];
      if (r % 2 === 0) {
        ra = await one(a);
        rb = await one(b);
      } else {
        rb = await one(b);
        ra = await one(a);
      }
      return [ra[0], rb[0], ra[1], rb[1]];
    };
    pairs.prefill.push(await pair(bare.prefill, ours.prefill));
    pairs.decode.push(await pair(bare.decode, ours.decode));
    pairs.generate.push(await pair(bare.decode, ours.generate));
  }
  // Decode runs include a 16-token prefill on both sides; both produce decodeTokens tokens.
  const summary = (rows: number[][], tokens: number) => ({
    bareTokensPerS: round((tokens * 1000) / median(rows.map((p) => p[0]!)), 1),
    causalLmTokensPerS: round((tokens * 1000) / median(rows.map((p) => p[1]!)), 1),
    ratio: round(median(rows.map((p) => p[0]! / p[1]!))),
    bareCpuTokensPerS: round((tokens * 1000) / median(rows.map((p) => p[2]!)), 1),
    causalLmCpuTokensPerS: round((tokens * 1000) / median(rows.map((p) => p[3]!)), 1),
    cpuRatio: round(median(rows.map((p) => p[2]! / p[3]!))),
  });
  console.log(
    JSON.stringify(
      {
        bench: 'runtime/throughput',
        model: {
          size: 'small',
          layers: numLayers,
          kvHeads,
          headDim,
          vocab: lm.vocabSize,
          bytes: lm.modelDir.modelBytes,
        },
        repeats,
        promptTokens: promptLength,
        decodeTokens,
        prefill: summary(pairs.prefill, promptLength),
        decodeWithStep: summary(pairs.decode, decodeTokens),
        decodeWithGenerateText: summary(pairs.generate, decodeTokens),
        ratio:
          'CausalLM tokens/s ÷ bare tokens/s, median over back-to-back pairs (wall; cpu = process CPU time)',
        target: 'ratio >= 0.95',
      },
      null,
      2,
    ),
  );
  await lm.dispose();
  await rm(dirname(model.root), { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

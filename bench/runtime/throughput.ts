/**
 * Prefill and decode throughput of CausalLM against a bare `InferenceSession.run` loop over
 * the same session and the same inputs (prebuilt feeds, presents fed back as pasts, argmax).
 * Each repeat times both back to back, so load from other processes lands on both alike;
 * figures are medians, the ratio a median of paired ratios. Target: CausalLM ≥ 0.95× bare.
 * `decodeWithGenerateText` is the full generation stack (sampling, stop checks, text
 * streaming) against the same bare loop. Prints JSON.
 *
 *   npx tsx bench/runtime/throughput.ts [repeats=11] [prompt=128] [decode=64]
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as ort from 'onnxruntime-node';
import { argmax, CausalLM } from '../../packages/runtime/src/index';
import { cpuMs, median, promptIds, round, smallModelDir, timeMs } from './fixtures';

const repeats = Number(process.argv[2] ?? 11);
const promptLength = Number(process.argv[3] ?? 128);
const decodeTokens = Number(process.argv[4] ?? 64);

const int64 = (values: readonly number[], dims: number[]) =>
  new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), dims);

async function main(): Promise<void> {
  const model = await smallModelDir();
  const lm = await CausalLM.load(model.dir, { session: { intraOpThreads: 1, interOpThreads: 1 } });
  const { session, signature } = lm;
  const { numLayers, kvHeads, headDim } = signature;
  const ids = promptIds(promptLength, lm.vocabSize);

  const emptyPast = (): Record<string, ort.Tensor> => {
    const feeds: Record<string, ort.Tensor> = {};
    for (let l = 0; l < numLayers; l++) {
      feeds[`past_key_values.${l}.key`] = new ort.Tensor('float32', new Float32Array(0), [
        1,
        kvHeads,
        0,
        headDim,
      ]);
      feeds[`past_key_values.${l}.value`] = new ort.Tensor('float32', new Float32Array(0), [
        1,
        kvHeads,
        0,
        headDim,
      ]);
    }
    return feeds;
  };
  const prefillFeeds = (tokens: readonly number[]) => ({
    input_ids: int64(tokens, [1, tokens.length]),
    attention_mask: int64(Array(tokens.length).fill(1), [1, tokens.length]),
    position_ids: int64(
      tokens.map((_, i) => i),
      [1, tokens.length],
    ),
    ...emptyPast(),
  });
  const lastRow = (logits: ort.Tensor) => {
    const [, seq, vocab] = logits.dims as [number, number, number];
    return (logits.data as Float32Array).subarray((seq - 1) * vocab, seq * vocab);
  };

  const bare = {
    prefill: async () => session.run(prefillFeeds(ids)),
    decode: async () => {
      const prompt = ids.slice(0, 16);
      let out = await session.run(prefillFeeds(prompt));
      let past = prompt.length;
      for (let i = 0; i < decodeTokens; i++) {
        const token = argmax(lastRow(out.logits!));
        const feeds: Record<string, ort.Tensor> = {
          input_ids: int64([token], [1, 1]),
          attention_mask: int64(Array(past + 1).fill(1), [1, past + 1]),
          position_ids: int64([past], [1, 1]),
        };
        for (let l = 0; l < numLayers; l++) {
          feeds[`past_key_values.${l}.key`] = out[`present.${l}.key`]!;
          feeds[`past_key_values.${l}.value`] = out[`present.${l}.value`]!;
        }
        out = await session.run(feeds);
        past++;
      }
    },
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

  // Warm up both paths (ORT allocates its arenas on first runs).
  for (let i = 0; i < 2; i++) {
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

/**
 * The recall model at the long_context tier's length: seeded validator recall tasks of up
 * to 128 000 characters (tens of thousands of tokens), prefilled in chunks as the miner
 * does, answered from the full cache (the baseline, same run), then from caches pruned by
 * each press at the tier's strongest allowed compression and quantized to int8 and
 * int4 as the miner would send them. Prints JSON.
 *
 *   npx tsx bench/recall/longContext.ts [contexts=4] [maxContextChars=128000] [pairs=8] [chunk=2048]
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_TIERS, getTier } from '../../packages/core/src/index';
import type { KeptSelection } from '../../packages/miner/src/presses/KeptSelection';
import type { PressName } from '../../packages/miner/src/presses/presses';
import { runPress } from '../../packages/miner/src/presses/runPress';
import {
  type KvCache,
  kvCacheFromPayload,
  kvCacheToPayload,
  RECALL_VALUE_COUNT,
} from '../../packages/runtime/src/index';
import { answers, loadRecallModel, recallContexts, round } from './recallFixtures';

const contextCount = Number(process.argv[2] ?? 4);
const maxContextChars = Number(process.argv[3] ?? 128_000);
const pairs = Number(process.argv[4] ?? 8);
const chunk = Number(process.argv[5] ?? 2048);
const tier = getTier(DEFAULT_TIERS, 'long_context');
const RATIO = 1 - tier.maxCompressionRate;
const PRESSES: readonly PressName[] = ['random', 'knorm', 'streaming_llm', 'snapkv'];
const FORMATS = ['fp16', 'int8', 'int4'] as const;

const keepOf = (selection: KeptSelection) =>
  selection.layers.map((heads) => heads.map((kept) => Array.from(kept)));

function roundTrip(cache: KvCache, format: (typeof FORMATS)[number]): KvCache {
  return kvCacheFromPayload(kvCacheToPayload(cache, { model: 'recall', format }));
}

async function main(): Promise<void> {
  const { lm, cleanup } = await loadRecallModel(true);
  const started = performance.now();
  const lengths: number[] = [];
  const right: Record<string, number> = {};
  let asked = 0;
  let prefillSeconds = 0;
  try {
    const contexts = recallContexts(lm, {
      seed: 'bench-recall-long-context',
      maxContextChars,
      count: contextCount,
      pairs,
    });
    const heads = lm.modelDir.config.num_attention_heads;
    for (const context of contexts) {
      lengths.push(context.ids.length);
      const t0 = performance.now();
      const { cache, extras } = await lm.prefill(context.ids, { chunkTokens: chunk });
      prefillSeconds += (performance.now() - t0) / 1000;
      const tally = async (cell: string, from: KvCache) => {
        for (const question of context.questions) {
          right[cell] = (right[cell] ?? 0) + ((await answers(lm, from, question)) ? 1 : 0);
        }
      };
      asked += context.questions.length;
      await tally('full', cache);
      const shape = [cache.kvHeads, cache.length, cache.headDim] as const;
      // The last chunk's queries: snapkv's window lies within it.
      const queryRows = (extras['queries.0']!.dims as number[])[2]!;
      const layers = cache.layers.map((layer, l) => ({
        keys: { data: layer.key, shape },
        values: { data: layer.value, shape },
        queries: {
          data: extras[`queries.${l}`]!.data as Float32Array,
          shape: [heads, queryRows, cache.headDim] as const,
        },
      }));
      for (const press of PRESSES) {
        const options = press === 'random' ? { seed: lengths.length } : {};
        const pruned = cache.gather(keepOf(runPress({ press, layers, ratio: RATIO, options })));
        for (const format of FORMATS) await tally(`${press}.${format}`, roundTrip(pruned, format));
      }
    }
  } finally {
    await cleanup();
  }
  const accuracy = (cell: string) => round((right[cell] ?? 0) / asked, 3);
  console.log(
    JSON.stringify(
      {
        benchmark: 'recall/longContext',
        tier: { name: tier.name, maxContextChars: tier.maxContextChars },
        maxContextChars,
        contexts: contextCount,
        questions: asked,
        tokens: {
          min: Math.min(...lengths),
          mean: Math.round(lengths.reduce((a, b) => a + b, 0) / lengths.length),
          max: Math.max(...lengths),
        },
        prefillChunkTokens: chunk,
        prefillSecondsPerContext: round(prefillSeconds / contextCount, 2),
        chance: round(1 / RECALL_VALUE_COUNT, 3),
        fullContextAccuracy: accuracy('full'),
        ratio: RATIO,
        accuracy: Object.fromEntries(
          PRESSES.map((press) => [
            press,
            Object.fromEntries(FORMATS.map((format) => [format, accuracy(`${press}.${format}`)])),
          ]),
        ),
        wallSeconds: round((performance.now() - started) / 1000, 1),
      },
      null,
      2,
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

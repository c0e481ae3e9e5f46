/**
 * The condenser leaderboard on the recall model: accuracy of seeded validator recall
 * questions after each KV press compresses the context, at compression ratios 0.25, 0.5,
 * 0.75 and 0.9, for `random`, `knorm`, `streaming_llm` and `snapkv` (the miner's presses,
 * selection and the runtime's KvCache gather). Baselines measured in the same run: the full
 * context (ratio 0) and the `random` press at each ratio (each press's ratio to it is
 * reported). Every press prunes the same prefilled caches; questions come after pruning,
 * with positions continuing from the original length. Prints JSON.
 *
 *   npx tsx bench/recall/leaderboard.ts [contexts=40] [maxContextChars=7000] [pairs=8]
 */
import { performance } from 'node:perf_hooks';
import type { KeptSelection } from '../../packages/miner/src/presses/KeptSelection';
import type { PressLayer } from '../../packages/miner/src/presses/PressLayer';
import type { PressName } from '../../packages/miner/src/presses/presses';
import { runPress } from '../../packages/miner/src/presses/runPress';
import { type KvCache, RECALL_VALUE_COUNT } from '../../packages/runtime/src/index';
import { answers, loadRecallModel, recallContexts, round } from './recallFixtures';

const contextCount = Number(process.argv[2] ?? 40);
const maxContextChars = Number(process.argv[3] ?? 7000);
const pairs = Number(process.argv[4] ?? 8);
const RATIOS = [0.25, 0.5, 0.75, 0.9];
const PRESSES: readonly PressName[] = ['random', 'knorm', 'streaming_llm', 'snapkv'];

/** One layer of a single-row cache as a press sees it, `[kv_heads, len, head_dim]`. */
function pressLayers(
  cache: KvCache,
  queries: readonly Float32Array[],
  heads: number,
): PressLayer[] {
  const shape = [cache.kvHeads, cache.length, cache.headDim] as const;
  return cache.layers.map((layer, l) => ({
    keys: { data: layer.key, shape },
    values: { data: layer.value, shape },
    queries: { data: queries[l]!, shape: [heads, cache.length, cache.headDim] },
  }));
}

const keepOf = (selection: KeptSelection) =>
  selection.layers.map((heads) => heads.map((kept) => Array.from(kept)));

async function main(): Promise<void> {
  const { lm, cleanup } = await loadRecallModel(true);
  const start = performance.now();
  const right: Record<string, number> = {};
  let fullRight = 0;
  let asked = 0;
  const lengths: number[] = [];
  try {
    const contexts = recallContexts(lm, {
      seed: 'bench-recall-leaderboard',
      maxContextChars,
      count: contextCount,
      pairs,
    });
    const heads = lm.modelDir.config.num_attention_heads;
    for (const [index, context] of contexts.entries()) {
      lengths.push(context.ids.length);
      const { cache, extras } = await lm.prefill(context.ids);
      const queries = Array.from(
        { length: cache.numLayers },
        (_, l) => extras[`queries.${l}`]!.data as Float32Array,
      );
      const layers = pressLayers(cache, queries, heads);
      for (const question of context.questions) {
        asked++;
        if (await answers(lm, cache, question)) fullRight++;
      }
      for (const press of PRESSES) {
        for (const ratio of RATIOS) {
          const options = press === 'random' ? { seed: index } : {};
          const pruned = cache.gather(keepOf(runPress({ press, layers, ratio, options })));
          for (const question of context.questions) {
            const cell = `${press}@${ratio}`;
            right[cell] = (right[cell] ?? 0) + ((await answers(lm, pruned, question)) ? 1 : 0);
          }
        }
      }
    }
  } finally {
    await cleanup();
  }
  const accuracy = (press: PressName, ratio: number) => (right[`${press}@${ratio}`] ?? 0) / asked;
  const table = Object.fromEntries(
    PRESSES.map((press) => [
      press,
      Object.fromEntries(RATIOS.map((ratio) => [String(ratio), round(accuracy(press, ratio), 3)])),
    ]),
  );
  const vsRandom = Object.fromEntries(
    PRESSES.filter((press) => press !== 'random').map((press) => [
      press,
      Object.fromEntries(
        RATIOS.map((ratio) => {
          const baseline = accuracy('random', ratio);
          return [
            String(ratio),
            baseline === 0 ? null : round(accuracy(press, ratio) / baseline, 2),
          ];
        }),
      ),
    ]),
  );
  console.log(
    JSON.stringify(
      {
        benchmark: 'recall/leaderboard',
        maxContextChars,
        contexts: contextCount,
        questions: asked,
        tokens: {
          min: Math.min(...lengths),
          mean: Math.round(lengths.reduce((a, b) => a + b, 0) / lengths.length),
          max: Math.max(...lengths),
        },
        chance: round(1 / RECALL_VALUE_COUNT, 3),
        fullContextAccuracy: round(fullRight / asked, 3),
        accuracy: table,
        accuracyOverRandom: vsRandom,
        wallSeconds: round((performance.now() - start) / 1000, 1),
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

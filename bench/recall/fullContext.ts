/**
 * Accuracy of the constructed recall model on ≥ 1 000 seeded validator recall questions with
 * the full context, per context size up to the largest tier (inference_1, 7 000 characters),
 * against a baseline measured on the same questions in the same run: the same caches with
 * the needle's two positions (key and value) dropped, which leaves the model at or below
 * chance (1/32). The gap is what the model reads from its context. Prints JSON.
 *
 *   npx tsx bench/recall/fullContext.ts [questions=1000] [pairs=8]
 */
import { performance } from 'node:perf_hooks';
import { RECALL_VALUE_COUNT } from '../../packages/runtime/src/index';
import { answers, loadRecallModel, recallContexts, round } from './recallFixtures';

const questionTarget = Number(process.argv[2] ?? 1000);
const pairs = Number(process.argv[3] ?? 8);
const SIZES = [250, 500, 1000, 2500, 5000, 7000];

async function main(): Promise<void> {
  const { lm, cleanup } = await loadRecallModel(false);
  const perSize = Math.ceil(questionTarget / SIZES.length / pairs);
  const rows = [];
  let asked = 0;
  let right = 0;
  let ablatedRight = 0;
  const start = performance.now();
  try {
    for (const maxContextChars of SIZES) {
      const contexts = recallContexts(lm, {
        seed: 'bench-recall-full',
        maxContextChars,
        count: perSize,
        pairs,
      });
      let sizeAsked = 0;
      let sizeRight = 0;
      let sizeAblated = 0;
      for (const context of contexts) {
        const { cache } = await lm.prefill(context.ids);
        for (const question of context.questions) {
          sizeAsked++;
          if (await answers(lm, cache, question)) sizeRight++;
          const dropped = new Set([question.keyPosition, question.valuePosition]);
          const keep = context.ids.map((_, i) => i).filter((i) => !dropped.has(i));
          if (await answers(lm, cache.gather(keep), question)) sizeAblated++;
        }
      }
      const lengths = contexts.map((c) => c.ids.length);
      rows.push({
        maxContextChars,
        tokens: { min: Math.min(...lengths), max: Math.max(...lengths) },
        questions: sizeAsked,
        accuracy: round(sizeRight / sizeAsked),
        needleDroppedAccuracy: round(sizeAblated / sizeAsked),
      });
      asked += sizeAsked;
      right += sizeRight;
      ablatedRight += sizeAblated;
    }
  } finally {
    await cleanup();
  }
  const accuracy = right / asked;
  const baseline = ablatedRight / asked;
  console.log(
    JSON.stringify(
      {
        benchmark: 'recall/fullContext',
        questions: asked,
        pairsPerContext: pairs,
        chance: round(1 / RECALL_VALUE_COUNT),
        accuracy: round(accuracy),
        baseline: { name: 'needle dropped from the KV cache', accuracy: round(baseline) },
        // A ratio over a baseline of 0 is meaningless; the gap in accuracy is the measure.
        gainOverBaseline: round(accuracy - baseline),
        minAccuracyAtAnySize: Math.min(...rows.map((r) => r.accuracy)),
        bySize: rows,
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

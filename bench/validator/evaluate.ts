/**
 * Evaluations per second of the validator's Evaluator on the builder's `small` model, per task
 * family, for kv payloads that keep a quarter of the context (knorm 0.75, within the tier's 512-token cap) on contexts of the research
 * tier's size. Baseline, timed back to back in the same run on the same context: one bare
 * full-context prefill (`CausalLM.prefill`), the least any evaluation must spend. Reported:
 * per family the marginal cost of one more miner's payload (the full-context reference is
 * cached per task), the reference itself, and the ratio to the baseline; then how many miners
 * one validator on this machine covers per 600 s epoch at a few tasks-per-miner settings.
 * Prints JSON.
 *
 *   npx tsx bench/validator/evaluate.ts [tasksPerFamily=3] [repeats=3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TIERS, type KvPayload, type TierConfig } from '../../packages/core/src/index';
import { runPress } from '../../packages/miner/src/index';
import { buildModel, CausalLM, kvCacheToPayload } from '../../packages/runtime/src/index';
import { Evaluator, synthesizeTasks, type Task } from '../../packages/validator/src/index';

const tasksPerFamily = Number(process.argv[2] ?? 3);
const repeats = Number(process.argv[3] ?? 3);
const MODEL = 'small-llama';
const EPOCH_SECONDS = 600;
const FAMILIES = ['needle', 'continuation', 'existence'] as const;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

async function timeMs<T>(run: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await run();
  return [performance.now() - start, result];
}

async function knormQuarter(lm: CausalLM, context: string): Promise<KvPayload> {
  const { cache } = await lm.prefill(lm.tokenizer.encode(context));
  const shape = [cache.kvHeads, cache.length, cache.headDim] as const;
  const selection = runPress({
    press: 'knorm',
    layers: cache.layers.map((layer) => ({ keys: { data: layer.key, shape } })),
    ratio: 0.75,
  });
  const keep = selection.layers.map((heads) => heads.map((positions) => Array.from(positions)));
  return kvCacheToPayload(cache.gather(keep), { model: MODEL });
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'signal-bench-validator-'));
  try {
    const dir = join(root, 'model');
    await buildModel({ arch: 'llama', size: 'small', seed: 3, outDir: dir });
    const session = { intraOpThreads: 1, interOpThreads: 1 };
    const lm = await CausalLM.load(dir, { session });
    const research = DEFAULT_TIERS.find((t) => t.name === 'research')!;
    const tier: TierConfig = { ...research, supportingModels: [MODEL] };
    const evaluator = new Evaluator({ models: { [MODEL]: dir }, session });

    const results: Record<string, unknown> = {};
    const perFamily: Record<string, { evalMs: number; referenceMs: number }> = {};
    for (const family of FAMILIES) {
      const tasks: Task[] = synthesizeTasks({
        seed: `bench-${family}`,
        tier,
        count: tasksPerFamily,
        families: [family],
      });
      const evalMs: number[] = [];
      const referenceMs: number[] = [];
      const bareMs: number[] = [];
      const ratios: number[] = [];
      let tokens = 0;
      let valid = 0;
      for (const task of tasks) {
        const raw = await knormQuarter(lm, task.context);
        const ids = lm.tokenizer.encode(task.context);
        tokens += ids.length;
        evaluator.clearReferences();
        // The first evaluation of a task also computes its full-context reference.
        const [firstMs] = await timeMs(() => evaluator.evaluate({ task, tier, model: MODEL, raw }));
        for (let r = 0; r < repeats; r++) {
          const [bare] = await timeMs(() => lm.prefill(ids));
          const [ms, evaluation] = await timeMs(() =>
            evaluator.evaluate({ task, tier, model: MODEL, raw }),
          );
          if (!evaluation.valid) {
            throw new Error(`benchmark payload refused: ${evaluation.code} ${evaluation.message}`);
          }
          valid += 1;
          evalMs.push(ms);
          bareMs.push(bare);
          ratios.push(ms / bare);
        }
        referenceMs.push(Math.max(0, firstMs - median(evalMs.slice(-repeats))));
      }
      const evalMedian = median(evalMs);
      perFamily[family] = { evalMs: evalMedian, referenceMs: median(referenceMs) };
      results[family] = {
        tasks: tasks.length,
        meanContextTokens: Math.round(tokens / tasks.length),
        validPayloads: `${valid}/${evalMs.length}`,
        evalsPerSecond: round(1000 / evalMedian),
        msPerEval: round(evalMedian, 1),
        referenceMsPerTask: round(median(referenceMs), 1),
        baselineBarePrefillMs: round(median(bareMs), 1),
        ratioEvalToBarePrefill: round(median(ratios)),
      };
    }

    // Tasks are dealt round-robin over the families, so a miner's cost is the family mean.
    const meanEvalMs = FAMILIES.reduce((sum, f) => sum + perFamily[f]!.evalMs, 0) / FAMILIES.length;
    const meanRefMs =
      FAMILIES.reduce((sum, f) => sum + perFamily[f]!.referenceMs, 0) / FAMILIES.length;
    const estimate = [3, 12, 30].map((tasksPerMiner) => {
      const budgetMs = EPOCH_SECONDS * 1000 - tasksPerMiner * meanRefMs;
      return {
        tasksPerMiner,
        minersPerEpoch: Math.max(0, Math.floor(budgetMs / (tasksPerMiner * meanEvalMs))),
      };
    });
    await evaluator.close();
    await lm.dispose();
    console.log(
      JSON.stringify(
        {
          benchmark: 'validator/evaluate',
          model: 'builder small (4 layers, hidden 256, 2 kv heads, head_dim 32), 1 intra-op thread',
          payload: 'kv, knorm ratio 0.75, float16',
          contextChars: tier.maxContextChars,
          repeats,
          families: results,
          epoch: {
            seconds: EPOCH_SECONDS,
            meanMsPerEval: round(meanEvalMs, 1),
            meanReferenceMsPerTask: round(meanRefMs, 1),
            estimate,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

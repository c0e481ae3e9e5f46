/**
 * Accuracy of the reference recall model on the leaderboard's tasks (seeded validator
 * recall questions, bench/recall) when the pruned cache travels as fp16, int8 or int4: each
 * press's best ratio is taken from its fp16 leaderboard row (the research tier's score,
 * accuracy·(1−α) + ratio·α), then the same pruned caches are quantized, sent through the
 * payload codec and answered from. Also the continuation KL of the next-token distribution
 * at every question, against the fp16 cache and against the full context. Baselines (full
 * context, fp16) come from the same run.
 */
import { DEFAULT_TIERS, getTier } from '../../packages/core/src/index';
import type { KeptSelection } from '../../packages/miner/src/presses/KeptSelection';
import type { PressName } from '../../packages/miner/src/presses/presses';
import { runPress } from '../../packages/miner/src/presses/runPress';
import {
  type CausalLM,
  type KvCache,
  kvCacheFromPayload,
  kvCacheToPayload,
} from '../../packages/runtime/src/index';
import {
  loadRecallModel,
  type RecallQuestion,
  recallContexts,
  round,
} from '../recall/recallFixtures';

const RATIOS = [0.25, 0.5, 0.75, 0.9];
const PRESSES: readonly PressName[] = ['random', 'knorm', 'streaming_llm', 'snapkv'];
const FORMATS = ['fp16', 'int8', 'int4'] as const;
type Format = (typeof FORMATS)[number];

function logSoftmax(row: Float32Array): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of row) max = Math.max(max, v);
  let sum = 0;
  for (const v of row) sum += Math.exp(v - max);
  const norm = max + Math.log(sum);
  return Float64Array.from(row, (v) => v - norm);
}

function kl(p: Float64Array, q: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += Math.exp(p[i]!) * (p[i]! - q[i]!);
  return Math.max(0, sum);
}

/** Next-token log-probs after each question's key, and whether the greedy answer is right. */
async function ask(lm: CausalLM, cache: KvCache, questions: readonly RecallQuestion[]) {
  const out: { logprobs: Float64Array; right: boolean }[] = [];
  for (const question of questions) {
    const { logits } = await lm.step(question.key, cache);
    const row = logits.at(0);
    let best = 0;
    for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
    const right = lm.tokenizer.decode([best]).trimStart().startsWith(question.value);
    out.push({ logprobs: logSoftmax(row), right });
  }
  return out;
}

const precise = (x: number) => Number(x.toPrecision(3));

const keepOf = (selection: KeptSelection) =>
  selection.layers.map((heads) => heads.map((kept) => Array.from(kept)));

export async function accuracy(contextCount: number, maxContextChars: number, pairs: number) {
  const alpha = getTier(DEFAULT_TIERS, 'research').alpha;
  const { lm, cleanup } = await loadRecallModel(true);
  const right: Record<string, number> = {};
  const klSum: Record<string, number> = {};
  let asked = 0;
  let fullRight = 0;
  try {
    const contexts = recallContexts(lm, {
      seed: 'bench-payload-accuracy',
      maxContextChars,
      count: contextCount,
      pairs,
    });
    const heads = lm.modelDir.config.num_attention_heads;
    for (const [index, context] of contexts.entries()) {
      const { cache, extras } = await lm.prefill(context.ids);
      const full = await ask(lm, cache, context.questions);
      asked += full.length;
      fullRight += full.filter((a) => a.right).length;
      const shape = [cache.kvHeads, cache.length, cache.headDim] as const;
      const layers = cache.layers.map((layer, l) => ({
        keys: { data: layer.key, shape },
        values: { data: layer.value, shape },
        queries: {
          data: extras[`queries.${l}`]!.data as Float32Array,
          shape: [heads, cache.length, cache.headDim] as const,
        },
      }));
      for (const press of PRESSES) {
        for (const ratio of RATIOS) {
          const options = press === 'random' ? { seed: index } : {};
          const pruned = cache.gather(keepOf(runPress({ press, layers, ratio, options })));
          let fp16: Awaited<ReturnType<typeof ask>> | undefined;
          for (const format of FORMATS) {
            const restored = kvCacheFromPayload(
              kvCacheToPayload(pruned, { model: 'recall', format }),
            );
            const answered = await ask(lm, restored, context.questions);
            fp16 ??= answered;
            const cell = `${press}@${ratio}.${format}`;
            right[cell] = (right[cell] ?? 0) + answered.filter((a) => a.right).length;
            answered.forEach((a, q) => {
              klSum[`${cell}.full`] =
                (klSum[`${cell}.full`] ?? 0) + kl(full[q]!.logprobs, a.logprobs);
              klSum[`${cell}.fp16`] =
                (klSum[`${cell}.fp16`] ?? 0) + kl(fp16![q]!.logprobs, a.logprobs);
            });
          }
        }
      }
    }
  } finally {
    await cleanup();
  }
  const acc = (cell: string) => (right[cell] ?? 0) / asked;
  const perPress = Object.fromEntries(
    PRESSES.map((press) => {
      const best = RATIOS.reduce((a, b) => {
        const score = (ratio: number) =>
          acc(`${press}@${ratio}.fp16`) * (1 - alpha) + ratio * alpha;
        return score(b) >= score(a) ? b : a;
      });
      const row = (format: Format) => ({
        accuracy: round(acc(`${press}@${best}.${format}`), 3),
        continuation_kl_vs_full: precise(klSum[`${press}@${best}.${format}.full`]! / asked),
        continuation_kl_vs_fp16: precise(klSum[`${press}@${best}.${format}.fp16`]! / asked),
      });
      const fp16 = acc(`${press}@${best}.fp16`);
      return [
        press,
        {
          best_ratio: best,
          fp16: row('fp16'),
          int8: row('int8'),
          int4: row('int4'),
          int8_points_below_fp16: round(100 * (fp16 - acc(`${press}@${best}.int8`)), 2),
          int4_points_below_fp16: round(100 * (fp16 - acc(`${press}@${best}.int4`)), 2),
        },
      ];
    }),
  );
  return {
    model: 'recall (constructed, runtime builder)',
    contexts: contextCount,
    maxContextChars,
    questions: asked,
    alpha,
    fullContextAccuracy: round(fullRight / asked, 3),
    presses: perPress,
    targets: { int8_points_below_fp16: 1, int4_points_below_fp16: 3 },
  };
}

/**
 * The recall model's distributions are near one-hot, so its KL barely moves. The same
 * measure on the runtime builder's random-weight `small` model (4 layers, hidden 256), whose
 * next-token distributions are broad: a text context cached whole, sent in each format,
 * then a teacher-forced continuation; mean KL per position against the float32 cache.
 */
export async function continuationKlRandomModel(contextTokens: number, continuationTokens: number) {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { buildModel, CausalLM } = await import('../../packages/runtime/src/index');
  const root = await mkdtemp(join(tmpdir(), 'signal-bench-kl-'));
  try {
    const built = await buildModel({
      arch: 'llama',
      size: 'small',
      seed: 5,
      outDir: join(root, 'small'),
    });
    const lm = await CausalLM.load(built.dir, {
      session: { intraOpThreads: 1, interOpThreads: 1 },
    });
    try {
      let state = 12345;
      const ids = Array.from({ length: contextTokens + continuationTokens }, () => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return 32 + (state % 90);
      });
      const context = ids.slice(0, contextTokens);
      const continuation = ids.slice(contextTokens);
      const { cache } = await lm.prefill(context);
      const rows = async (from: KvCache) => {
        const { logits } = await lm.prefill(continuation, { cache: from, allLogits: true });
        return Array.from({ length: continuation.length }, (_, t) => logSoftmax(logits.at(0, t)));
      };
      const reference = await rows(cache);
      const out: Record<string, number> = {};
      for (const format of FORMATS) {
        const restored = kvCacheFromPayload(kvCacheToPayload(cache, { model: 'small', format }));
        const got = await rows(restored);
        out[format] = precise(
          got.reduce((sum, row, t) => sum + kl(reference[t]!, row), 0) / got.length,
        );
      }
      return {
        model: 'small (random weights)',
        contextTokens,
        continuationTokens,
        kl_vs_fp32: out,
      };
    } finally {
      await lm.dispose();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

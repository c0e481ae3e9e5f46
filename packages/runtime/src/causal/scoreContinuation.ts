import type { Tensor } from 'onnxruntime-node';
import { KvCache } from '../kv/KvCache';
import type { CausalLM } from './CausalLM';
import { CausalLMError } from './CausalLMError';
import { logProb } from './logProb';

export interface ScoreOptions {
  /** Tokens fed between the context and the continuation without being scored (e.g. a question). */
  prompt?: readonly number[];
  /** Upper bound on logits held at once, in floats; sets the chunk length. Default 4 Mi (16 MiB). */
  maxLogitFloats?: number;
  extraFeeds?: Readonly<Record<string, Tensor>>;
}

export interface ScoreResult {
  /** log P(continuation[i] | context, prompt, continuation[<i]) for every i. */
  logProbs: Float64Array;
  /** Sum of `logProbs`: the continuation's log-likelihood. */
  total: number;
}

/**
 * Scores a continuation without materialising `sequence × vocab` logits. The unscored
 * prefix runs in one pass when the graph can keep only the last logits (`num_logits_to_keep`),
 * else in chunks; the scored part runs in chunks sized so their logits fit `maxLogitFloats`.
 */
export async function scoreContinuation(
  lm: CausalLM,
  context: readonly number[] | KvCache,
  continuation: readonly number[],
  options: ScoreOptions = {},
): Promise<ScoreResult> {
  const n = continuation.length;
  const logProbs = new Float64Array(n);
  if (n === 0) return { logProbs, total: 0 };
  const fromCache = context instanceof KvCache;
  if (fromCache && context.batch !== 1) {
    throw new CausalLMError('LM_INVALID_INPUT', 'scoreContinuation takes a single-row cache', {
      details: `the cache has ${context.batch} rows`,
    });
  }
  const prompt = options.prompt ?? [];
  const feed = [...(fromCache ? [] : context), ...prompt, ...continuation];
  // Feed position i predicts feed[i + 1]; continuation[0] is predicted at `first`, which is
  // -1 when only the cache's own last logits can predict it.
  const first = feed.length - n - 1;
  let cache = fromCache ? context : lm.emptyCache(1);
  if (first < 0) {
    if (!cache.lastLogits) {
      throw new CausalLMError('LM_NO_PREDICTOR', 'nothing predicts the first continuation token', {
        details:
          'the cache carries no last logits (it was pruned or restored); pass a non-empty prompt',
      });
    }
    logProbs[0] = logProb(cache.lastLogits, continuation[0]!);
  }
  const chunk = Math.max(1, Math.floor((options.maxLogitFloats ?? 4 * 1024 * 1024) / lm.vocabSize));
  const extra = options.extraFeeds ? { extraFeeds: options.extraFeeds } : {};
  const end = feed.length - 1;
  const scoredFrom = Math.max(0, first);
  const prefixRuns = lm.signature.logitsToKeep ? [scoredFrom] : ranges(0, scoredFrom, chunk);
  let start = 0;
  for (const stop of [...prefixRuns.filter((s) => s > 0), ...ranges(scoredFrom, end, chunk)]) {
    if (stop <= start) continue;
    const ids = feed.slice(start, stop);
    const need = Math.max(0, stop - Math.max(start, scoredFrom));
    const result = await lm.forward({
      ids: [ids],
      cache,
      logitsToKeep: Math.max(1, need),
      ...extra,
    });
    cache = result.cache;
    for (let j = 0; j < need; j++) {
      const pos = stop - need + j;
      logProbs[pos - first] = logProb(result.logits.at(0, j - need), feed[pos + 1]!);
    }
    start = stop;
  }
  let total = 0;
  for (const lp of logProbs) total += lp;
  return { logProbs, total };
}

/** Chunk end points covering `[from, to)` in steps of `size`. */
function ranges(from: number, to: number, size: number): number[] {
  const ends: number[] = [];
  for (let s = from + size; s < to; s += size) ends.push(s);
  if (to > from) ends.push(to);
  return ends;
}

import { performance } from 'node:perf_hooks';
import type { CausalLM, ForwardResult, KvCache } from '@signal/runtime';
import type { Tensor } from 'onnxruntime-node';
import type { HeadScores } from '../presses/HeadScores';
import { PressInputError } from '../presses/PressInputError';
import { PRESSES, type PressName } from '../presses/presses';
import type { ReconstructionAttention } from '../presses/reconstruction/ReconstructionAttention';
import {
  type ReconstructionOptions,
  reconstructionScores,
} from '../presses/reconstruction/reconstructionScores';
import { type HeadAdaptiveOptions, selectHeadAdaptive } from '../presses/selectHeadAdaptive';
import { selectKept } from '../presses/selectKept';
import { gatherPadded } from './gatherPadded';
import { pressLayers } from './pressLayers';
import { windowShares } from './windowShares';

/** What scores the cached positions: a press over the prefill's tensors, or the model itself. */
export type KvScorer =
  | { readonly kind: 'press'; readonly press: PressName; readonly options: object }
  | { readonly kind: 'reconstruction'; readonly options: ReconstructionOptions };

/** A scorer, and how its scores become a pruned cache. */
export interface KvPressPlan {
  readonly scorer: KvScorer;
  /** Head-adaptive budgets (AdaKV) instead of the same count in every head. */
  readonly headBudgets?: HeadAdaptiveOptions | undefined;
  /**
   * Prefill and press window by window, this many tokens each: every window is scored on its
   * own and keeps its share of the budget before the next one is prefilled on top of what
   * was kept, so the cache never holds more than the budget plus one window.
   */
  readonly prefillWindow?: number | undefined;
}

export interface PressCacheParameters {
  readonly lm: CausalLM;
  /** The model's name, for errors. */
  readonly model: string;
  readonly ids: readonly number[];
  readonly plan: KvPressPlan;
  /** Positions every head keeps (on average over a layer's heads, with head budgets). */
  readonly kept: number;
  /** A prefill of `ids` already made (reused when the plan prefills the whole context). */
  readonly prefill?: ForwardResult | undefined;
  /**
   * The scorer's scores of that prefill, already computed (`contextScores`): they do not
   * depend on the budget, so one scoring serves every ratio. Ignored window by window.
   */
  readonly scores?: readonly HeadScores[] | undefined;
  readonly extraFeeds?: Readonly<Record<string, Tensor>> | undefined;
  readonly reconstruction?: ReconstructionAttention | undefined;
  /** Tokens per pass of a whole-context prefill (chunked prefill; extras cover the last chunk). */
  readonly prefillChunk?: number | undefined;
}

export interface PressedCache {
  readonly cache: KvCache;
  readonly timings: { prefillMs: number; scoringMs: number; gatherMs: number };
}

/**
 * Condenses a context into a pruned KV cache with any scorer: pure presses score the
 * prefill's tensors, the reconstruction press runs the model again; a plan may add head
 * budgets or window-by-window prefill. The cache keeps `kept` positions per head (head
 * budgets: `heads × kept` per layer, padded to the widest head) and continues at the
 * context's length.
 */
export async function pressCache(parameters: PressCacheParameters): Promise<PressedCache> {
  const { lm, ids, plan, kept } = parameters;
  const n = ids.length;
  if (!Number.isInteger(kept) || kept < 1 || kept > n) {
    throw new PressInputError(`Cannot keep ${kept} of ${n} positions.`);
  }
  if (plan.prefillWindow !== undefined) {
    if (plan.headBudgets) {
      throw new PressInputError(
        'Head budgets and window-by-window prefill do not combine.',
        'A window pressed with head budgets leaves heads of different lengths for the next window to attend.',
      );
    }
    return pressByWindow(parameters, plan.prefillWindow);
  }
  let clock = performance.now();
  const lap = () => {
    const now = performance.now();
    const elapsed = now - clock;
    clock = now;
    return elapsed;
  };
  const prefill =
    parameters.prefill ??
    (await lm.prefill(ids, {
      ...(parameters.prefillChunk === undefined ? {} : { chunkTokens: parameters.prefillChunk }),
      ...(parameters.extraFeeds ? { extraFeeds: parameters.extraFeeds } : {}),
    }));
  const prefillMs = parameters.prefill ? 0 : lap();
  if (kept === n)
    return { cache: prefill.cache, timings: { prefillMs, scoringMs: 0, gatherMs: 0 } };
  const scores = parameters.scores ?? (await scoreRange(parameters, prefill, ids, 0));
  const ratio = (n - kept) / n;
  const scoringMs = lap();
  const cache = plan.headBudgets
    ? gatherPadded(prefill.cache, selectHeadAdaptive(scores, ratio, plan.headBudgets))
    : prefill.cache.gather(toKeep(selectKept(scores, ratio).layers, 0, 0));
  return { cache, timings: { prefillMs, scoringMs, gatherMs: lap() } };
}

/** The plan's scores of a whole-context prefill, for `pressCache({ scores })` at several budgets. */
export function contextScores(
  parameters: Omit<PressCacheParameters, 'kept' | 'scores'>,
  prefill: ForwardResult,
): Promise<HeadScores[]> {
  return scoreRange(parameters, prefill, parameters.ids, 0);
}

async function pressByWindow(
  parameters: PressCacheParameters,
  window: number,
): Promise<PressedCache> {
  const { lm, ids, kept } = parameters;
  if (!Number.isInteger(window) || window < 1) {
    throw new PressInputError(`prefillWindow must be a positive integer, got ${window}.`);
  }
  const timings = { prefillMs: 0, scoringMs: 0, gatherMs: 0 };
  const shares = windowShares(ids.length, window, kept);
  let cache = lm.emptyCache(1);
  for (const [index, share] of shares.entries()) {
    const tokens = ids.slice(index * window, (index + 1) * window);
    let clock = performance.now();
    const pass = await forward(parameters, tokens, cache);
    timings.prefillMs += performance.now() - clock;
    clock = performance.now();
    const prefix = cache.length;
    if (share === tokens.length) {
      cache = pass.cache;
      continue;
    }
    const selected =
      share === 0
        ? undefined
        : selectKept(
            await scoreRange(parameters, pass, tokens, prefix),
            (tokens.length - share) / tokens.length,
          );
    timings.scoringMs += performance.now() - clock;
    clock = performance.now();
    cache = pass.cache.gather(
      selected
        ? toKeep(selected.layers, prefix, prefix)
        : Array.from({ length: prefix }, (_, i) => i),
    );
    timings.gatherMs += performance.now() - clock;
  }
  return { cache, timings };
}

function forward(
  parameters: Omit<PressCacheParameters, 'kept' | 'scores'>,
  tokens: readonly number[],
  cache: KvCache,
) {
  return parameters.lm.forward({
    ids: [tokens],
    cache,
    logitsToKeep: 1,
    ...(parameters.extraFeeds ? { extraFeeds: parameters.extraFeeds } : {}),
  });
}

/** Scores the positions `[from, from + tokens.length)` of a pass's cache with the plan's scorer. */
async function scoreRange(
  parameters: Omit<PressCacheParameters, 'kept' | 'scores'>,
  pass: ForwardResult,
  tokens: readonly number[],
  from: number,
): Promise<HeadScores[]> {
  const { scorer } = parameters.plan;
  if (scorer.kind === 'reconstruction') {
    if (!parameters.reconstruction) {
      throw new PressInputError('The reconstruction press needs its attention session.');
    }
    return reconstructionScores({
      lm: parameters.lm,
      cache: pass.cache,
      tokens,
      start: from,
      attention: parameters.reconstruction,
      options: scorer.options,
      ...(parameters.extraFeeds ? { extraFeeds: parameters.extraFeeds } : {}),
    });
  }
  const method = PRESSES[scorer.press];
  const layers = pressLayers(pass, scorer.press, parameters.model, from);
  const options = withModelOptions(scorer.press, scorer.options, parameters.lm);
  const score = method.score as (
    layer: (typeof layers)[number],
    index: number,
    o: object,
  ) => HeadScores;
  return layers.map((layer, index) => score(layer, index, options));
}

/** Adds what only the model knows (expected_attention's RoPE base) to the configured options. */
export function withModelOptions(press: PressName, options: object, lm: CausalLM): object {
  if (press !== 'expected_attention') return options;
  const theta = lm.modelDir.config.rope_theta;
  // Llama's default base when config.json does not name one.
  return { ...options, ropeTheta: typeof theta === 'number' ? theta : 10_000 };
}

/** Keep indices for `gather`: every prefix position, then each head's selected positions shifted by `offset`. */
function toKeep(
  layers: readonly (readonly Int32Array[])[],
  prefix: number,
  offset: number,
): number[][][] {
  const head = Array.from({ length: prefix }, (_, i) => i);
  return layers.map((heads) =>
    heads.map((kept) => [...head, ...Array.from(kept, (p) => p + offset)]),
  );
}

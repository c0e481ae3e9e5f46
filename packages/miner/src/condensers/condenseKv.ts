import { performance } from 'node:perf_hooks';
import type { EncodedKvPayload, KvFormatOptions } from '@signal/core';
import { kvCacheToEncodedPayload } from '@signal/runtime';
import type { TargetModelLease } from '../models/TargetModels';
import type { ReconstructionAttention } from '../presses/reconstruction/ReconstructionAttention';
import { selectKept } from '../presses/selectKept';
import {
  DEFAULT_SNAPKV_KERNEL,
  DEFAULT_SNAPKV_WINDOW,
  type SnapKvOptions,
} from '../presses/snapkv';
import type { CondenseTimings } from './CondenseResult';
import { type KvScorer, type PressedCache, pressCache } from './pressCache';
import type { WindowAttention } from './WindowAttention';

export interface CondenseKvParameters {
  readonly model: TargetModelLease;
  /** The context's token ids, special tokens included, as the cache will hold them. */
  readonly ids: readonly number[];
  /** What scores the cached positions (`ropeTheta` for expected_attention comes from the model). */
  readonly scorer: KvScorer;
  /** Positions to keep in every head of every layer. */
  readonly kept: number;
  /** How the kept cache is encoded: quantization (int8/int4) happens here, after the press. */
  readonly encoding: KvFormatOptions;
  /** Tokens per prefill pass; a longer context is prefilled in chunks. */
  readonly prefillChunk?: number | undefined;
  /** Press window by window, this many tokens each (see `KvPressPlan`), instead of prefilling it all. */
  readonly prefillWindow?: number | undefined;
  /** Scores snapkv in ONNX Runtime instead of TypeScript (same positions, several times faster). */
  readonly windowAttention?: WindowAttention | undefined;
  /** The reconstruction press's attention session (needed for that scorer). */
  readonly reconstruction?: ReconstructionAttention | undefined;
}

/** Prefill pass size unless a tier sets `prefill_chunk`: bounds attention memory on long contexts. */
export const DEFAULT_PREFILL_CHUNK = 2048;

/**
 * KV-press condensing, after NVIDIA kvpress: prefill the context (in chunks when it is
 * long), score every cached position per layer and head with the press (or, for the
 * reconstruction press, with more passes of the model), keep the top `kept` per head, then
 * encode the pruned cache (quantized to int8/int4 when the tier says so, on the kept
 * positions only) with `original_length` so generation continues at the right positions.
 * The payload's tensors are raw bytes; a transport encodes them.
 */
export async function condenseKv(
  parameters: CondenseKvParameters,
): Promise<{ payload: EncodedKvPayload; timings: CondenseTimings }> {
  const { model, ids, kept, encoding, scorer } = parameters;
  // snapkv's window must lie within the last chunk, whose queries the graph returns.
  const window =
    scorer.kind === 'press' && scorer.press === 'snapkv'
      ? ((scorer.options as SnapKvOptions).window ?? DEFAULT_SNAPKV_WINDOW)
      : 0;
  const prefillChunk = Math.max(parameters.prefillChunk ?? DEFAULT_PREFILL_CHUNK, window);
  const pressed =
    scorer.kind === 'press' &&
    scorer.press === 'snapkv' &&
    parameters.windowAttention &&
    parameters.prefillWindow === undefined
      ? await snapKvInOrt(
          parameters,
          prefillChunk,
          parameters.windowAttention,
          scorer.options as SnapKvOptions,
        )
      : await pressCache({
          lm: model.lm,
          model: model.name,
          ids,
          plan: { scorer, prefillWindow: parameters.prefillWindow },
          kept,
          prefillChunk,
          extraFeeds: model.feeds,
          reconstruction: parameters.reconstruction,
        });
  const clock = performance.now();
  const payload = kvCacheToEncodedPayload(pressed.cache, {
    model: model.name,
    adapter: model.adapter,
    format: encoding.format,
    ...(encoding.groupSize === undefined ? {} : { groupSize: encoding.groupSize }),
    originalTokens: ids.length,
  });
  return { payload, timings: { ...pressed.timings, encodeMs: performance.now() - clock } };
}

/** snapkv with the observation window's attention computed in ONNX Runtime. */
async function snapKvInOrt(
  parameters: CondenseKvParameters,
  prefillChunk: number,
  windowAttention: WindowAttention,
  options: SnapKvOptions,
): Promise<PressedCache> {
  const { model, ids, kept } = parameters;
  let clock = performance.now();
  const prefill = await model.lm.prefill(ids, {
    chunkTokens: prefillChunk,
    ...(model.feeds ? { extraFeeds: model.feeds } : {}),
  });
  const prefillMs = performance.now() - clock;
  if (kept === ids.length) {
    return { cache: prefill.cache, timings: { prefillMs, scoringMs: 0, gatherMs: 0 } };
  }
  clock = performance.now();
  const scores = await windowAttention.snapKvScores(prefill, {
    window: options.window ?? DEFAULT_SNAPKV_WINDOW,
    kernel: options.kernel ?? DEFAULT_SNAPKV_KERNEL,
  });
  const selection = selectKept(scores, (ids.length - kept) / ids.length);
  const scoringMs = performance.now() - clock;
  clock = performance.now();
  const cache = prefill.cache.gather(
    selection.layers.map((heads) => heads.map((h) => Array.from(h))),
  );
  return { cache, timings: { prefillMs, scoringMs, gatherMs: performance.now() - clock } };
}

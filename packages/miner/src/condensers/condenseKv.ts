import { performance } from 'node:perf_hooks';
import type { EncodedKvPayload, KvFormatOptions } from '@signal/core';
import { kvCacheToEncodedPayload } from '@signal/runtime';
import type { ConfiguredPressOptions } from '../config/condenserPlan';
import type { TargetModelLease } from '../models/TargetModels';
import type { KeptSelection } from '../presses/KeptSelection';
import type { PressName, PressOptionsByName } from '../presses/presses';
import { runPress } from '../presses/runPress';
import { selectKept } from '../presses/selectKept';
import {
  DEFAULT_SNAPKV_KERNEL,
  DEFAULT_SNAPKV_WINDOW,
  type SnapKvOptions,
} from '../presses/snapkv';
import type { CondenseTimings } from './CondenseResult';
import { pressLayers } from './pressLayers';
import type { WindowAttention } from './WindowAttention';

export interface CondenseKvParameters<Name extends PressName> {
  readonly model: TargetModelLease;
  /** The context's token ids, special tokens included, as the cache will hold them. */
  readonly ids: readonly number[];
  readonly press: Name;
  readonly options: ConfiguredPressOptions[Name];
  /** Positions to keep in every head of every layer. */
  readonly kept: number;
  /** How the kept cache is encoded: quantization (int8/int4) happens here, after the press. */
  readonly encoding: KvFormatOptions;
  /** Tokens per prefill pass; a longer context is prefilled in chunks. */
  readonly prefillChunk?: number | undefined;
  /** Scores snapkv in ONNX Runtime instead of TypeScript (same positions, several times faster). */
  readonly windowAttention?: WindowAttention | undefined;
}

/** Prefill pass size unless a tier sets `prefill_chunk`: bounds attention memory on long contexts. */
export const DEFAULT_PREFILL_CHUNK = 2048;

/**
 * KV-press condensing, after NVIDIA kvpress: prefill the context (in chunks when it is
 * long), score every cached position per layer and head with the press, keep the top
 * `kept` per head, then encode the pruned cache (quantized to int8/int4 when the tier says
 * so, on the kept positions only) with `original_length` so generation continues at the
 * right positions. The payload's tensors are raw bytes; a transport encodes them.
 */
export async function condenseKv<Name extends PressName>(
  parameters: CondenseKvParameters<Name>,
): Promise<{ payload: EncodedKvPayload; timings: CondenseTimings }> {
  const { model, ids, press, kept, encoding } = parameters;
  const n = ids.length;
  let clock = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const elapsed = now - clock;
    clock = now;
    return elapsed;
  };
  // snapkv's window must lie within the last chunk, whose queries the graph returns.
  const window =
    press === 'snapkv'
      ? ((parameters.options as SnapKvOptions).window ?? DEFAULT_SNAPKV_WINDOW)
      : 0;
  const chunkTokens = Math.max(parameters.prefillChunk ?? DEFAULT_PREFILL_CHUNK, window);
  const prefill = await model.lm.prefill(ids, {
    chunkTokens,
    ...(model.feeds ? { extraFeeds: model.feeds } : {}),
  });
  const prefillMs = lap();
  let cache = prefill.cache;
  let scoringMs = 0;
  let gatherMs = 0;
  if (kept < n) {
    const ratio = (n - kept) / n;
    let selection: KeptSelection;
    if (press === 'snapkv' && parameters.windowAttention) {
      const { window, kernel } = parameters.options as SnapKvOptions;
      const scores = await parameters.windowAttention.snapKvScores(prefill, {
        window: window ?? DEFAULT_SNAPKV_WINDOW,
        kernel: kernel ?? DEFAULT_SNAPKV_KERNEL,
      });
      selection = selectKept(scores, ratio);
    } else {
      // pressLayers refuses presses whose inputs the graph does not expose.
      const layers = pressLayers(prefill, press, model.name);
      selection = runPress({
        press,
        layers,
        ratio,
        options: withModelOptions(press, parameters.options, model) as PressOptionsByName[Name],
      });
    }
    scoringMs = lap();
    cache = cache.gather(selection.layers.map((heads) => heads.map((h) => Array.from(h))));
    gatherMs = lap();
  }
  const payload = kvCacheToEncodedPayload(cache, {
    model: model.name,
    adapter: model.adapter,
    format: encoding.format,
    ...(encoding.groupSize === undefined ? {} : { groupSize: encoding.groupSize }),
    originalTokens: n,
  });
  return { payload, timings: { prefillMs, scoringMs, gatherMs, encodeMs: lap() } };
}

/** Adds what only the model knows (expected_attention's RoPE base) to the configured options. */
function withModelOptions(press: PressName, options: object, model: TargetModelLease): object {
  if (press !== 'expected_attention') return options;
  const theta = model.lm.modelDir.config.rope_theta;
  // Llama's default base when config.json does not name one.
  return { ...options, ropeTheta: typeof theta === 'number' ? theta : 10_000 };
}

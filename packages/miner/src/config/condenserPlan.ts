import type { KvFormat } from '@signal/core';
import type { ExpectedAttentionOptions } from '../presses/expectedAttention';
import type { PressName, PressOptionsByName } from '../presses/presses';
import type { ReconstructionOptions } from '../presses/reconstruction/reconstructionScores';
import type { CompressTextOptions } from '../text/compressText';
import type { TierMethod } from './MinerConfigSchema';

/** Press options a config can fix; `ropeTheta` is the target model's, added at run time. */
export type ConfiguredPressOptions = {
  [Name in PressName]: Name extends 'expected_attention'
    ? Omit<ExpectedAttentionOptions, 'ropeTheta'>
    : PressOptionsByName[Name];
};

/** What scores a KV cache's positions: a press over the prefill's tensors, or the model. */
export type ConfiguredScorer =
  | {
      [Name in PressName]: { kind: 'press'; press: Name; options: ConfiguredPressOptions[Name] };
    }[PressName]
  | { kind: 'reconstruction'; options: ReconstructionOptions };

/** A tier's condenser in the terms the condensers take (camelCase options, no config shape). */
export type CondenserPlan =
  | {
      kind: 'kv';
      ratio: number;
      scorer: ConfiguredScorer;
      /** The tier's `kv_format`; undefined falls back to the config's `payload_dtype`. */
      encoding: KvEncodingPlan;
    }
  | { kind: 'soft'; ratio: number }
  | { kind: 'text'; ratio: number; options: Omit<CompressTextOptions, 'ratio' | 'forceToken'> };

/**
 * How a KV tier prefills and encodes: `kv_format` (unset: `payload_dtype`), its group size,
 * the prefill chunk, and `prefill_window` (press window by window).
 */
export interface KvEncodingPlan {
  readonly format: KvFormat | undefined;
  readonly groupSize: number | undefined;
  readonly prefillChunk: number | undefined;
  readonly prefillWindow: number | undefined;
}

function encodingOf(method: {
  kv_format?: KvFormat | undefined;
  kv_group_size?: number | undefined;
  prefill_chunk?: number | undefined;
  prefill_window?: number | undefined;
}): KvEncodingPlan {
  return {
    format: method.kv_format,
    groupSize: method.kv_group_size,
    prefillChunk: method.prefill_chunk,
    prefillWindow: method.prefill_window,
  };
}

/** Maps a validated tier method from the config file onto the condenser call it describes. */
export function condenserPlan(method: TierMethod): CondenserPlan {
  const { ratio } = method;
  const kv = (scorer: ConfiguredScorer, from: Parameters<typeof encodingOf>[0]): CondenserPlan => ({
    kind: 'kv',
    ratio,
    scorer,
    encoding: encodingOf(from),
  });
  switch (method.method) {
    case 'knorm':
      return kv({ kind: 'press', press: 'knorm', options: {} }, method);
    case 'keydiff':
      return kv({ kind: 'press', press: 'keydiff', options: {} }, method);
    case 'kvzip':
      return kv(
        {
          kind: 'reconstruction',
          options: {
            chunkTokens: method.chunk_tokens,
            sinkTokens: method.sink_tokens,
            overlapTokens: method.overlap_tokens,
          },
        },
        method,
      );
    case 'streaming_llm':
      return kv(
        { kind: 'press', press: 'streaming_llm', options: { sinkTokens: method.sink_tokens } },
        method,
      );
    case 'snapkv':
      return kv(
        {
          kind: 'press',
          press: 'snapkv',
          options: { window: method.window, kernel: method.kernel },
        },
        method,
      );
    case 'random':
      return kv({ kind: 'press', press: 'random', options: { seed: method.seed } }, method);
    case 'expected_attention':
      return kv(
        {
          kind: 'press',
          press: 'expected_attention',
          options: {
            futurePositions: method.future_positions,
            sinkTokens: method.sink_tokens,
            useCovariance: method.use_covariance,
            useValueNorm: method.use_value_norm,
            epsilon: method.epsilon,
          },
        },
        method,
      );
    case 'soft':
      return { kind: 'soft', ratio };
    case 'text':
      return {
        kind: 'text',
        ratio,
        options: {
          granularity: method.granularity,
          aggregate: method.aggregate,
          force: method.force,
        },
      };
  }
}

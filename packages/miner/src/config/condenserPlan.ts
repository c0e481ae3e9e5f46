import type { KvFormat } from '@signal/core';
import type { ExpectedAttentionOptions } from '../presses/expectedAttention';
import type { PressName, PressOptionsByName } from '../presses/presses';
import type { CompressTextOptions } from '../text/compressText';
import type { TierMethod } from './MinerConfigSchema';

/** Press options a config can fix; `ropeTheta` is the target model's, added at run time. */
export type ConfiguredPressOptions = {
  [Name in PressName]: Name extends 'expected_attention'
    ? Omit<ExpectedAttentionOptions, 'ropeTheta'>
    : PressOptionsByName[Name];
};

/** A tier's condenser in the terms the condensers take (camelCase options, no config shape). */
export type CondenserPlan =
  | {
      [Name in PressName]: {
        kind: 'kv';
        press: Name;
        ratio: number;
        options: ConfiguredPressOptions[Name];
        /** The tier's `kv_format`; undefined falls back to the config's `payload_dtype`. */
        encoding: KvEncodingPlan;
      };
    }[PressName]
  | { kind: 'soft'; ratio: number }
  | { kind: 'text'; ratio: number; options: Omit<CompressTextOptions, 'ratio' | 'forceToken'> };

/** How a KV tier encodes its kept cache, as the config says (format unset: `payload_dtype`). */
export interface KvEncodingPlan {
  readonly format: KvFormat | undefined;
  readonly groupSize: number | undefined;
  readonly prefillChunk: number | undefined;
}

function encodingOf(method: {
  kv_format?: KvFormat | undefined;
  kv_group_size?: number | undefined;
  prefill_chunk?: number | undefined;
}): KvEncodingPlan {
  return {
    format: method.kv_format,
    groupSize: method.kv_group_size,
    prefillChunk: method.prefill_chunk,
  };
}

/** Maps a validated tier method from the config file onto the condenser call it describes. */
export function condenserPlan(method: TierMethod): CondenserPlan {
  const { ratio } = method;
  switch (method.method) {
    case 'knorm':
      return { kind: 'kv', press: 'knorm', ratio, options: {}, encoding: encodingOf(method) };
    case 'streaming_llm':
      return {
        kind: 'kv',
        press: 'streaming_llm',
        ratio,
        options: { sinkTokens: method.sink_tokens },
        encoding: encodingOf(method),
      };
    case 'snapkv':
      return {
        kind: 'kv',
        press: 'snapkv',
        ratio,
        options: { window: method.window, kernel: method.kernel },
        encoding: encodingOf(method),
      };
    case 'random':
      return {
        kind: 'kv',
        press: 'random',
        ratio,
        options: { seed: method.seed },
        encoding: encodingOf(method),
      };
    case 'expected_attention':
      return {
        kind: 'kv',
        press: 'expected_attention',
        ratio,
        options: {
          futurePositions: method.future_positions,
          sinkTokens: method.sink_tokens,
          useCovariance: method.use_covariance,
          useValueNorm: method.use_value_norm,
          epsilon: method.epsilon,
        },
        encoding: encodingOf(method),
      };
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

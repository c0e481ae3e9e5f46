import { type ExpectedAttentionOptions, expectedAttentionScores } from './expectedAttention';
import type { HeadScores } from './HeadScores';
import { keyDiffScores } from './keydiff';
import { knormScores } from './knorm';
import { PressInputError } from './PressInputError';
import type { PressLayer } from './PressLayer';
import { type RandomOptions, randomScores } from './random';
import { type SnapKvOptions, snapKvScores } from './snapkv';
import { type StreamingLlmOptions, streamingLlmScores } from './streamingLlm';

/** Options each press accepts, by press name. */
export interface PressOptionsByName {
  knorm: Record<string, never>;
  streaming_llm: StreamingLlmOptions;
  snapkv: SnapKvOptions;
  random: RandomOptions;
  expected_attention: ExpectedAttentionOptions;
  keydiff: Record<string, never>;
}

/** A named KV press: what it needs from the runtime, and how it scores one layer. */
export interface Press<Options> {
  readonly description: string;
  /** Needs `queries`: the observation window's post-RoPE queries (a graph output) per layer. */
  readonly needsQueries: boolean;
  /** Needs `preRopeQueries`: the context's queries before RoPE (a graph output) per layer. */
  readonly needsPreRopeQueries: boolean;
  /** Needs the cached `values`. */
  readonly needsValues: boolean;
  readonly score: (layer: PressLayer, layerIndex: number, options: Options) => HeadScores;
}

const HOW_TO_PROVIDE = {
  queries: "the observation window's post-RoPE queries",
  preRopeQueries: "the context's pre-RoPE queries",
  values: 'the cached values',
} as const;

function requirePart(
  press: string,
  layer: PressLayer,
  layerIndex: number,
  part: keyof typeof HOW_TO_PROVIDE,
): NonNullable<PressLayer[typeof part]> {
  const tensor = layer[part];
  if (!tensor) {
    throw new PressInputError(
      `${press} needs ${HOW_TO_PROVIDE[part]}, but layer ${layerIndex} has none.`,
    );
  }
  return tensor;
}

/** Every KV press the miner offers, by its wire name. */
export const PRESSES: {
  readonly [Name in keyof PressOptionsByName]: Press<PressOptionsByName[Name]>;
} = {
  knorm: {
    description: 'Drops the keys with the largest L2 norm (score −‖k‖₂).',
    needsQueries: false,
    needsPreRopeQueries: false,
    needsValues: false,
    score: (layer) => knormScores(layer.keys),
  },
  streaming_llm: {
    description: 'Keeps the first sink tokens (default 4) and the most recent tokens.',
    needsQueries: false,
    needsPreRopeQueries: false,
    needsValues: false,
    score: (layer, _layerIndex, options) => streamingLlmScores(layer.keys, options),
  },
  snapkv: {
    description:
      'Keeps the positions the last window of queries (default 64) attends to most, pooled with kernel 5; the window is always kept.',
    needsQueries: true,
    needsPreRopeQueries: false,
    needsValues: false,
    score: (layer, layerIndex, options) =>
      snapKvScores(layer.keys, requirePart('snapkv', layer, layerIndex, 'queries'), options),
  },
  random: {
    description: 'Seeded uniform random scores: the baseline every press must beat.',
    needsQueries: false,
    needsPreRopeQueries: false,
    needsValues: false,
    score: (layer, layerIndex, options) => randomScores(layer.keys, layerIndex, options),
  },
  expected_attention: {
    description:
      'Keeps the keys future queries are expected to attend to most (Gaussian query model, averaged RoPE), scaled by ‖v‖; sinks always kept.',
    needsQueries: false,
    needsPreRopeQueries: true,
    needsValues: true,
    score: (layer, layerIndex, options) =>
      expectedAttentionScores(
        layer.keys,
        requirePart('expected_attention', layer, layerIndex, 'values'),
        requirePart('expected_attention', layer, layerIndex, 'preRopeQueries'),
        options,
      ),
  },
  keydiff: {
    description:
      'Keeps the keys least like the average key of their head (score −cos(k, mean unit key)).',
    needsQueries: false,
    needsPreRopeQueries: false,
    needsValues: false,
    score: (layer) => keyDiffScores(layer.keys),
  },
};

export type PressName = keyof PressOptionsByName;

export const PRESS_NAMES = Object.keys(PRESSES) as readonly PressName[];

export function isPressName(name: string): name is PressName {
  return Object.hasOwn(PRESSES, name);
}

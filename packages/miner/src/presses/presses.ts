import type { HeadScores } from './HeadScores';
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
}

/** A named KV press: what it needs from the runtime, and how it scores one layer. */
export interface Press<Options> {
  readonly description: string;
  /** True when the press needs the observation window's queries (a graph output) per layer. */
  readonly needsQueries: boolean;
  readonly score: (layer: PressLayer, layerIndex: number, options: Options) => HeadScores;
}

function requireQueries(layer: PressLayer, layerIndex: number): NonNullable<PressLayer['queries']> {
  if (!layer.queries) {
    throw new PressInputError(
      `snapkv needs the observation window's queries, but layer ${layerIndex} has none.`,
      'Expose the post-RoPE query outputs of the attention layers when prefilling.',
    );
  }
  return layer.queries;
}

/** Every KV press the miner offers, by its wire name. */
export const PRESSES: {
  readonly [Name in keyof PressOptionsByName]: Press<PressOptionsByName[Name]>;
} = {
  knorm: {
    description: 'Drops the keys with the largest L2 norm (score −‖k‖₂).',
    needsQueries: false,
    score: (layer) => knormScores(layer.keys),
  },
  streaming_llm: {
    description: 'Keeps the first sink tokens (default 4) and the most recent tokens.',
    needsQueries: false,
    score: (layer, _layerIndex, options) => streamingLlmScores(layer.keys, options),
  },
  snapkv: {
    description:
      'Keeps the positions the last window of queries (default 64) attends to most, pooled with kernel 5; the window is always kept.',
    needsQueries: true,
    score: (layer, layerIndex, options) =>
      snapKvScores(layer.keys, requireQueries(layer, layerIndex), options),
  },
  random: {
    description: 'Seeded uniform random scores: the baseline every press must beat.',
    needsQueries: false,
    score: (layer, layerIndex, options) => randomScores(layer.keys, layerIndex, options),
  },
};

export type PressName = keyof PressOptionsByName;

export const PRESS_NAMES = Object.keys(PRESSES) as readonly PressName[];

export function isPressName(name: string): name is PressName {
  return Object.hasOwn(PRESSES, name);
}

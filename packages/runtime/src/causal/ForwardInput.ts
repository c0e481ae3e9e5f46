import type { Tensor } from 'onnxruntime-node';
import type { KvCache } from '../kv/KvCache';

/** Input embeddings `[batch, seq, hidden]` in C order, for graphs that take `inputs_embeds`. */
export interface InputEmbeds {
  data: Float32Array;
  batch: number;
  seq: number;
}

interface ForwardCommon {
  /** `[batch, seq]`, 1 for real tokens and 0 for padding. Default all ones. */
  mask?: Uint8Array;
  cache: KvCache;
  /** How many trailing positions' logits to return (uses `num_logits_to_keep` when the graph has it). */
  logitsToKeep: number;
  /** Feeds for inputs the caller declared with `acceptInput` (e.g. LoRA stacks). */
  extraFeeds?: Readonly<Record<string, Tensor>>;
}

/**
 * One forward pass over new tokens on top of a cache (possibly empty): either token ids
 * `[batch][seq]`, already padded to one length, or ready-made input embeddings.
 */
export type ForwardInput = ForwardCommon &
  ({ ids: readonly (readonly number[])[]; embeds?: never } | { embeds: InputEmbeds; ids?: never });

/** Batch and sequence length of a forward input, whichever form it takes. */
export function forwardShape(input: ForwardInput): { batch: number; seq: number } {
  if (input.embeds) return { batch: input.embeds.batch, seq: input.embeds.seq };
  return { batch: input.ids.length, seq: input.ids[0]?.length ?? 0 };
}

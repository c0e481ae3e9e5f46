import type { Tensor } from 'onnxruntime-node';
import type { KvCache } from '../kv/KvCache';

/** One forward pass over new tokens on top of a cache (possibly empty). */
export interface ForwardInput {
  /** `[batch][seq]` new token ids, already padded to one length. */
  ids: readonly (readonly number[])[];
  /** `[batch, seq]`, 1 for real tokens and 0 for padding. Default all ones. */
  mask?: Uint8Array;
  cache: KvCache;
  /** How many trailing positions' logits to return (uses `num_logits_to_keep` when the graph has it). */
  logitsToKeep: number;
  /** Feeds for inputs the caller declared with `acceptInput` (e.g. LoRA stacks). */
  extraFeeds?: Readonly<Record<string, Tensor>>;
}

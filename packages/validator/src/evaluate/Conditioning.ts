import type { KvCache } from '@signal/runtime';

/**
 * What the target model continues from: a restored KV cache (`kv`), token ids to prefill
 * (`text`, or the full context), or input embeddings `[rows, hidden]` (`soft`).
 * `condensedTokens` is counted by the validator, never taken from the miner.
 */
export type Conditioning =
  | { kind: 'cache'; cache: KvCache; condensedTokens: number }
  | { kind: 'ids'; ids: readonly number[]; condensedTokens: number }
  | { kind: 'embeds'; data: Float32Array; rows: number; condensedTokens: number };

import type { KvCache } from '@signal/runtime';

/**
 * What the target model continues from once a payload is decoded: a restored KV cache
 * (`kv`), or token ids to prefill (`text`). `condensedTokens` is counted by the validator.
 */
export type Conditioning =
  | { kind: 'cache'; cache: KvCache; condensedTokens: number }
  | { kind: 'ids'; ids: readonly number[]; condensedTokens: number };

import { SignalError } from '@signal/core';

export type KvCacheErrorCode =
  | 'KV_SHAPE_MISMATCH'
  | 'KV_BAD_INDICES'
  | 'KV_BATCHED'
  | 'KV_PAYLOAD_INVALID';

/** A cache operation got indices, shapes or a payload that do not fit the cache. */
export class KvCacheError extends SignalError<KvCacheErrorCode> {
  override name = 'KvCacheError';
}

import type { KvFormat } from './KvFormat';

/** The element types a runtime holds a KV cache in. */
export type KvDtype = 'float32' | 'float16';

/** float32 values, or float16 as raw bits (Node 20 has no Float16Array). */
export interface KvDtypeArrays {
  float32: Float32Array;
  float16: Uint16Array;
}

/**
 * A KV payload decoded (and dequantized) into the dtype a runtime wants: per layer
 * `[1, kvHeads, kept, headDim]` keys and values in C order. Built only once every tensor
 * decoded and checked out, so a caller never holds a half-decoded cache.
 */
export interface DecodedKv<D extends KvDtype = KvDtype> {
  readonly model: string;
  readonly adapter: string | null;
  readonly originalTokens: number;
  readonly condensedTokens: number;
  /** Where position ids continue. */
  readonly originalLength: number;
  readonly kept: number;
  readonly kvHeads: number;
  readonly headDim: number;
  /** How the cache travelled. */
  readonly format: KvFormat;
  readonly dtype: D;
  readonly layers: readonly { readonly key: KvDtypeArrays[D]; readonly value: KvDtypeArrays[D] }[];
}

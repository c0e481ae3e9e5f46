import type { KvFormat, KvPayload, SoftPayload, TextPayload } from '@signal/core';

/** A decoded tensor: C-order float32 elements (float16 on the wire is widened) and its shape. */
export interface FloatTensorView {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

export interface CondensedStats {
  /** Tokens of the context before condensing, under the target tokenizer. */
  readonly originalTokens: number;
  /** Tokens (or cached positions, or soft tokens) it was condensed to. */
  readonly condensedTokens: number;
  /** `originalTokens / condensedTokens`: 4 means four times fewer tokens. */
  readonly compressionRatio: number;
  /** `1 − condensed/original`, the compression term of the subnet's score. */
  readonly compression: number;
  /** The uid of the miner whose answer this is. */
  readonly minerUid: number;
  /** Milliseconds from sending the request to holding this validated answer. */
  readonly latencyMs: number;
  /** Milliseconds the serving side reports (the gateway's `latency_ms`, the dendrite's process time). */
  readonly serverLatencyMs: number;
}

interface Common {
  /** The target model the payload was made for. */
  readonly model: string;
  readonly stats: CondensedStats;
}

/** A pruned KV cache: per layer `[1, kv_heads, kept, head_dim]` keys and values. */
export interface KvCondensedContext extends Common {
  readonly format: 'kv';
  readonly adapter: string | null;
  /** Where position ids of the next tokens continue. */
  readonly originalLength: number;
  readonly kept: number;
  /** How the cache travelled: fp32, fp16, or int8/int4 (dequantized to float32 here). */
  readonly kvFormat: KvFormat;
  readonly layers: readonly { readonly key: FloatTensorView; readonly value: FloatTensorView }[];
  /** The validated wire payload, ready to send on (to an `Inference` synapse, say). */
  toPayload(): KvPayload;
}

/** Soft tokens: one `[n, hidden]` embeddings tensor. */
export interface SoftCondensedContext extends Common {
  readonly format: 'soft';
  readonly embeddings: FloatTensorView;
  toPayload(): SoftPayload;
}

/** Compressed text. */
export interface TextCondensedContext extends Common {
  readonly format: 'text';
  readonly text: string;
  toPayload(): TextPayload;
}

/** What `SignalClient.condense` returns, discriminated on `format`. */
export type CondensedContext = KvCondensedContext | SoftCondensedContext | TextCondensedContext;

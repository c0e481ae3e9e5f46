import type { AdapterConfig } from './AdapterConfig';

/** A linear layer that can carry an adapter, with the base weight's `[in, out]` sizes. */
export interface LoraTarget {
  readonly module: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
}

/**
 * One module's factors laid out for the grafted graph: `a` is `[in, rank]` (PEFT's
 * `lora_A.weight` transposed) and `b` is `[rank, out]` (`lora_B.weight` transposed, with the
 * scale already multiplied in), both row-major, so `y += (x·a)·b`.
 */
export interface LoraModuleWeights extends LoraTarget {
  readonly rank: number;
  readonly scale: number;
  readonly a: Float32Array;
  readonly b: Float32Array;
}

/** A loaded adapter, validated against the targets of a grafted base model. */
export interface LoraAdapter {
  readonly name: string;
  readonly config: AdapterConfig;
  readonly modules: ReadonlyMap<string, LoraModuleWeights>;
  readonly maxRank: number;
  /** Bytes held by the factors; what the store's LRU budget counts. */
  readonly byteLength: number;
}

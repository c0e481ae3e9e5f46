import { fromFloat16Bits } from '@signal/core';
import type { KvLayer } from './KvCache';

/**
 * A layer a float16 graph returned, kept as its raw half-precision bits. The float32 view
 * every KvCache operation reads is widened on first use only, so decoding on a float16
 * graph feeds each step's `present` straight back as the next `past` without converting
 * the whole cache twice per token.
 */
export class HalfKvLayer implements KvLayer {
  private wideKey: Float32Array | undefined;
  private wideValue: Float32Array | undefined;

  constructor(
    readonly keyHalf: Uint16Array,
    readonly valueHalf: Uint16Array,
  ) {}

  get key(): Float32Array {
    this.wideKey ??= fromFloat16Bits(this.keyHalf);
    return this.wideKey;
  }

  get value(): Float32Array {
    this.wideValue ??= fromFloat16Bits(this.valueHalf);
    return this.wideValue;
  }
}

/** Elements in one part of a layer, without widening a half-precision layer. */
export function layerSize(layer: KvLayer, part: 'key' | 'value'): number {
  if (layer instanceof HalfKvLayer)
    return part === 'key' ? layer.keyHalf.length : layer.valueHalf.length;
  return layer[part].length;
}

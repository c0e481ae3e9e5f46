import { encodeTensor, type KvPayload, type TextPayload } from '@signal/core';
import { TEST_MODEL } from './testTiers';

/** A valid two-layer float16 KV payload whose values are `layer + i / 64`. */
export function kvPayload(kept = 4, original = 8): KvPayload {
  const shape = [1, 2, kept, 4];
  const size = 2 * kept * 4;
  const tensor = (layer: number) =>
    encodeTensor({
      dtype: 'float16',
      shape,
      data: Float32Array.from({ length: size }, (_, i) => layer + i / 64),
    });
  return {
    format: 'kv',
    model: TEST_MODEL,
    adapter: null,
    original_tokens: original,
    condensed_tokens: kept,
    original_length: original,
    kept,
    layers: [0, 1].map((layer) => ({ key: tensor(layer), value: tensor(layer + 0.5) })),
  };
}

export function textPayload(text = 'short version'): TextPayload {
  return {
    format: 'text',
    model: TEST_MODEL,
    original_tokens: 40,
    condensed_tokens: 10,
    text,
  };
}

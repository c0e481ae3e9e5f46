import type { CausalLM } from '@signal/runtime';
import { maxAbsDiff, tinyModel } from './tinyModel';

let lm: CausalLM;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ lm, cleanup } = await tinyModel());
});
afterAll(() => cleanup());

describe('chunked prefill', () => {
  it('builds the same cache and last logits as one pass, at any chunk size', async () => {
    const ids = lm.tokenizer.encode(
      'A long context is prefilled in chunks, each on top of the last one.',
    );
    const whole = await lm.prefill(ids);
    for (const chunk of [1, 7, 16, ids.length - 1]) {
      const chunked = await lm.prefill(ids, { chunkTokens: chunk });
      expect(chunked.cache.length).toBe(ids.length);
      expect(chunked.cache.originalLength).toBe(ids.length);
      expect(maxAbsDiff(chunked.logits.data, whole.logits.data)).toBeLessThan(1e-4);
      chunked.cache.layers.forEach((layer, l) => {
        expect(maxAbsDiff(layer.key, whole.cache.layers[l]!.key)).toBeLessThan(1e-4);
        expect(maxAbsDiff(layer.value, whole.cache.layers[l]!.value)).toBeLessThan(1e-4);
      });
    }
  });

  it('refuses a chunk size that is not a positive integer, or all logits', async () => {
    await expect(lm.prefill([1, 2, 3, 4], { chunkTokens: 0 })).rejects.toThrow(/chunked prefill/);
    await expect(lm.prefill([1, 2, 3, 4], { chunkTokens: 2, allLogits: true })).rejects.toThrow(
      /only the last logits/,
    );
  });
});

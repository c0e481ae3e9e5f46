import { isSignalError, KvPayloadSchema, validatePayload } from '@signal/core';
import { type CausalLM, KvCache, kvCacheFromPayload, kvCacheToPayload } from '@signal/runtime';
import { maxAbsDiff, tinyModel } from '../causal/tinyModel';

let lm: CausalLM;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ lm, cleanup } = await tinyModel());
});
afterAll(() => cleanup());

const geometry = () => ({
  numLayers: lm.signature.numLayers,
  kvHeads: lm.signature.kvHeads,
  headDim: lm.signature.headDim,
});

describe('KvCache <-> kv CondensedPayload', () => {
  it('round-trips a pruned cache and continues from it like the original', async () => {
    const ids = lm.tokenizer.encode('Signal condenses long contexts into small caches.');
    const { cache } = await lm.prefill(ids);
    const pruned = cache.gather([
      [0, 1, 4, 7, 9, 12],
      [0, 2, 3, 8, 9, 13],
    ]);
    const payload = kvCacheToPayload(pruned, {
      model: 'tiny',
      dtype: 'float32',
      originalTokens: ids.length,
    });
    expect(KvPayloadSchema.parse(JSON.parse(JSON.stringify(payload)))).toEqual(payload);
    expect(payload).toMatchObject({
      format: 'kv',
      kept: 6,
      condensed_tokens: 6,
      original_length: ids.length,
    });
    expect(payload.layers[0]!.key).toMatchObject({ dtype: 'float32', shape: [1, 2, 6, 16] });
    validatePayload(payload, { maxPayloadBytes: 1 << 20 });

    const restored = kvCacheFromPayload(payload, { expect: geometry() });
    expect(restored.originalLength).toBe(ids.length);
    restored.layers.forEach((layer, l) => {
      expect(layer.key).toEqual(pruned.layers[l]!.key);
    });
    const cont = lm.tokenizer.encode(' Next', { addSpecialTokens: false });
    const a = await lm.prefill(cont, { cache: pruned, allLogits: true });
    const b = await lm.prefill(cont, { cache: restored, allLogits: true });
    expect(maxAbsDiff(a.logits.data, b.logits.data)).toBe(0);
  });

  it('uses float16 by default, within half precision', async () => {
    const { cache } = await lm.prefill(lm.tokenizer.encode('half precision on the wire'));
    const payload = kvCacheToPayload(cache, { model: 'tiny' });
    expect(payload.layers[1]!.value.dtype).toBe('float16');
    const restored = kvCacheFromPayload(payload);
    restored.layers.forEach((layer, l) => {
      const original = cache.layers[l]!.key;
      const scale = Math.max(...Array.from(original, Math.abs));
      expect(maxAbsDiff(layer.key, original)).toBeLessThanOrEqual(scale * 1e-3);
    });
    const f32 = kvCacheToPayload(cache, { model: 'tiny', dtype: 'float32' });
    expect(payload.layers[0]!.key.buffer.length).toBeLessThan(
      f32.layers[0]!.key.buffer.length * 0.6,
    );
  });

  it('refuses payloads that do not fit the model or are corrupt', async () => {
    const { cache } = await lm.prefill([1, 2, 3, 4]);
    const payload = kvCacheToPayload(cache, { model: 'tiny' });
    const attempts = [
      () =>
        kvCacheFromPayload({ ...payload, layers: payload.layers.slice(1) }, { expect: geometry() }),
      () => kvCacheFromPayload({ ...payload, kept: 3 }),
      () => kvCacheFromPayload({ ...payload, original_length: 2 }),
      () =>
        kvCacheFromPayload({
          ...payload,
          layers: [
            { ...payload.layers[0]!, key: { ...payload.layers[0]!.key, buffer: 'AAAA' } },
            payload.layers[1]!,
          ],
        }),
      () => kvCacheFromPayload(payload, { expect: { ...geometry(), headDim: 8 } }),
    ];
    for (const attempt of attempts) {
      let error: unknown;
      try {
        attempt();
      } catch (e) {
        error = e;
      }
      expect(isSignalError(error, 'KV_PAYLOAD_INVALID')).toBe(true);
    }
    const masked = new KvCache({ ...cache, layers: cache.layers, mask: Uint8Array.of(1, 0, 1, 1) });
    expect(() => kvCacheToPayload(masked, { model: 'tiny' })).toThrow(/fully attended/);
  });
});

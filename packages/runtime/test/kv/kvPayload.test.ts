import { isSignalError, KvPayloadSchema, toFloat16Bits, validatePayload } from '@signal/core';
import {
  type CausalLM,
  HalfKvLayer,
  KvCache,
  kvCacheFromPayload,
  kvCacheToPayload,
} from '@signal/runtime';
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
    expect(payload.layers[1]!.value).toMatchObject({ dtype: 'float16' });
    const restored = kvCacheFromPayload(payload);
    restored.layers.forEach((layer, l) => {
      const original = cache.layers[l]!.key;
      const scale = Math.max(...Array.from(original, Math.abs));
      expect(maxAbsDiff(layer.key, original)).toBeLessThanOrEqual(scale * 1e-3);
    });
    const f32 = kvCacheToPayload(cache, { model: 'tiny', dtype: 'float32' });
    const base64 = (p: typeof payload) => (p.layers[0]!.key as { buffer: string }).buffer.length;
    expect(base64(payload)).toBeLessThan(base64(f32) * 0.6);
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
            { ...payload.layers[0]!, key: { ...payload.layers[0]!.key, buffer: 'AAAA' } as never },
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

  it('quantizes the kept positions to int8 and int4 and continues close to the original', async () => {
    const ids = lm.tokenizer.encode('Quantized caches keep most of what matters in a context.');
    const { cache } = await lm.prefill(ids);
    const cont = lm.tokenizer.encode(' and more', { addSpecialTokens: false });
    const reference = await lm.prefill(cont, { cache, allLogits: true });
    const drift: Record<string, number> = {};
    for (const format of ['int8', 'int4'] as const) {
      const payload = kvCacheToPayload(cache, {
        model: 'tiny',
        format,
        originalTokens: ids.length,
      });
      validatePayload(payload, { maxPayloadBytes: 1 << 20 });
      expect(payload.layers[0]!.key).toMatchObject({ quantization: format, axis: 2 });
      expect(payload.layers[0]!.value).toMatchObject({ quantization: format, axis: 3 });
      const restored = kvCacheFromPayload(payload, { expect: geometry() });
      const next = await lm.prefill(cont, { cache: restored, allLogits: true });
      drift[format] = maxAbsDiff(next.logits.data, reference.logits.data);
    }
    expect(drift.int8!).toBeLessThan(drift.int4!);
    expect(drift.int4!).toBeLessThan(0.5);
  });

  it('restores into float16 half bits for a float16 runtime, equal to narrowing the float32 cache', async () => {
    const { cache } = await lm.prefill(lm.tokenizer.encode('halves for a half graph'));
    const payload = kvCacheToPayload(cache, { model: 'tiny', format: 'int4' });
    const wide = kvCacheFromPayload(payload);
    const half = kvCacheFromPayload(payload, { dtype: 'float16' });
    expect(half.layers[0]).toBeInstanceOf(HalfKvLayer);
    expect(Array.from((half.layers[1] as HalfKvLayer).valueHalf)).toEqual(
      Array.from(toFloat16Bits(wide.layers[1]!.value)),
    );
  });
});

import fc from 'fast-check';
import { isQuantized } from '../../src/payload/CondensedPayload';
import { validatePayload } from '../../src/payload/validatePayload';
import { decodeTensor, encodeTensor } from '../../src/tensor/codec';

describe('validatePayload with tensors from the Tensor codec', () => {
  it('accepts every KV cache the codec encodes, and the buffers decode afterwards', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('float16' as const, 'float32' as const),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 16 }),
        (dtype, layers, kvHeads, kept, headDim) => {
          const shape = [1, kvHeads, kept, headDim];
          const data = Array.from({ length: kvHeads * kept * headDim }, (_, i) => (i % 7) / 8);
          const tensor = () => encodeTensor({ dtype, shape, data });
          const raw = {
            format: 'kv',
            model: 'local/tiny-llama',
            original_tokens: kept * 2,
            condensed_tokens: kept,
            original_length: kept * 2,
            kept,
            layers: Array.from({ length: layers }, () => ({ key: tensor(), value: tensor() })),
          };
          const limits = { maxPayloadBytes: 1 << 20, geometry: { layers, kvHeads, headDim } };
          const payload = validatePayload(raw, limits);
          if (payload.format !== 'kv') throw new Error('expected a kv payload');
          const value = payload.layers[0]!.value;
          if (isQuantized(value)) throw new Error('expected a float tensor');
          const decoded = decodeTensor(value, {
            maxBytes: limits.maxPayloadBytes,
          });
          expect(decoded.shape).toEqual(shape);
          expect(Array.from(decoded.data as Float32Array)).toEqual(data);
        },
      ),
      { numRuns: 40 },
    );
  });
});

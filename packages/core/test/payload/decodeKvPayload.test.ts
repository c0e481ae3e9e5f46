import { decodeEncodedKv, decodeKvPayload } from '../../src/payload/decodeKvPayload';
import { type KvFormat, kvFormatOf } from '../../src/payload/KvFormat';
import { PayloadError } from '../../src/payload/PayloadError';
import { toWirePayload } from '../../src/payload/toWirePayload';
import { validatePayload } from '../../src/payload/validatePayload';
import { narrowToHalves } from '../../src/tensor/codecFloat16';
import { encodedKv, kvValues } from '../wire/binary/frameFixtures';

const LIMITS = { maxPayloadBytes: 1 << 20 };

describe('decoding kv payloads from the JSON wire', () => {
  it.each<KvFormat>(['fp32', 'fp16', 'int8', 'int4'])(
    'decodes %s into float32 and float16 as the raw form does',
    (format) => {
      const encoded = encodedKv(format);
      const wire = validatePayload(toWirePayload(encoded), LIMITS);
      if (wire.format !== 'kv') throw new Error('expected kv');
      expect(kvFormatOf(wire)).toBe(format);
      const f32 = decodeKvPayload(wire, { dtype: 'float32' });
      const raw = decodeEncodedKv(encoded, { dtype: 'float32' });
      expect(f32.layers).toEqual(raw.layers);
      expect(f32).toMatchObject({ kept: 6, kvHeads: 2, headDim: 8, format, dtype: 'float32' });
      const f16 = decodeKvPayload(wire, { dtype: 'float16' });
      expect(Array.from(f16.layers[1]!.value)).toEqual(
        Array.from(narrowToHalves(f32.layers[1]!.value).bits),
      );
    },
  );

  it('keeps the original values within the format precision', () => {
    const original = kvValues(2 * 6 * 8, 1);
    const error = (format: KvFormat) => {
      const decoded = decodeEncodedKv(encodedKv(format), { dtype: 'float32' });
      return Math.max(...decoded.layers[0]!.key.map((v, i) => Math.abs(v - original[i]!)));
    };
    expect(error('fp32')).toBe(0);
    expect(error('fp16')).toBeLessThan(1e-2);
    expect(error('int8')).toBeLessThan(0.1);
    expect(error('int4')).toBeLessThan(1.5);
    expect(error('int8')).toBeLessThan(error('int4'));
  });

  it('names the tensor whose buffer does not decode', () => {
    const wire = toWirePayload(encodedKv('int4'));
    if (wire.format !== 'kv') throw new Error('expected kv');
    const codes = (wire.layers[2]!.value as { codes: { buffer: string } }).codes;
    codes.buffer = `A${codes.buffer.slice(1, -4)}!!!!`;
    try {
      decodeKvPayload(wire, { dtype: 'float32' });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(PayloadError);
      expect((error as PayloadError).path).toBe('condensed.layers[2].value.codes');
    }
  });
});

import type { EncodedKvTensor } from '../../src/payload/CondensedPayload';
import { decodeKvTensor } from '../../src/payload/decodeKvTensor';
import { encodeKvTensor } from '../../src/payload/encodeKvTensor';
import type { KvFormat } from '../../src/payload/KvFormat';
import { kvTensorSlabs } from '../../src/payload/kvTensorSlabs';

const values = (count: number) =>
  Float32Array.from({ length: count }, (_, i) => Math.sin(i * 0.7) * (1 + (i % 5)));

/** The slabs' sizes, after checking they tile the half and decode to the whole half's values. */
function tiles(tensor: EncodedKvTensor, maxElements: number): number[] {
  const whole = decodeKvTensor(tensor, 'float32', 'half');
  const sizes: number[] = [];
  let next = 0;
  for (const { offset, count, tensor: part } of kvTensorSlabs(tensor, maxElements)) {
    expect(offset).toBe(next);
    const decoded = decodeKvTensor(part, 'float32', 'half');
    expect(decoded.length).toBe(count);
    expect(Array.from(decoded)).toEqual(Array.from(whole.subarray(offset, offset + count)));
    sizes.push(count);
    next += count;
  }
  expect(next).toBe(whole.length);
  return sizes;
}

describe('kvTensorSlabs', () => {
  const shape = [1, 2, 40, 8];

  it.each<KvFormat>(['fp32', 'fp16'])('cuts a %s half anywhere, at the bound', (format) => {
    const tensor = encodeKvTensor(values(640), shape, 'key', { format }, 'k');
    expect(tiles(tensor, 100)).toEqual([100, 100, 100, 100, 100, 100, 40]);
  });

  it('cuts quantized keys into bands of whole groups, values into whole slices', () => {
    const key = encodeKvTensor(values(640), shape, 'key', { format: 'int4', groupSize: 4 }, 'k');
    // A slice is 40 × 8 = 320 elements; a group band 4 × 8 = 32.
    expect(tiles(key, 100)).toEqual([96, 96, 96, 32, 96, 96, 96, 32]);
    expect(tiles(key, 320)).toEqual([320, 320]);
    expect(tiles(key, 10)).toEqual(Array(20).fill(32));
    const value = encodeKvTensor(values(640), shape, 'value', { format: 'int8' }, 'v');
    expect(tiles(value, 100)).toEqual([96, 96, 96, 96, 96, 96, 64]);
  });

  it('keeps int4 slabs on byte boundaries when slices hold an odd element count', () => {
    // [1, 2, 3, 3]: slices of 9 elements, so slabs take slices two at a time.
    const odd = encodeKvTensor(
      values(18),
      [1, 2, 3, 3],
      'key',
      { format: 'int4', groupSize: 2 },
      'k',
    );
    expect(tiles(odd, 9)).toEqual([18]);
    const four = encodeKvTensor(
      values(36),
      [1, 4, 3, 3],
      'key',
      { format: 'int4', groupSize: 2 },
      'k',
    );
    expect(tiles(four, 20)).toEqual([18, 18]);
  });
});

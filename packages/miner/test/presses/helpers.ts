import type { Tensor3 } from '@signal/miner';
import { xoroshiro128plus } from 'pure-rand';

/** A tensor filled with reproducible values in [-1, 1). */
export function randomTensor(shape: [number, number, number], seed: number): Tensor3 {
  const rng = xoroshiro128plus(seed);
  const data = new Float32Array(shape[0] * shape[1] * shape[2]);
  for (let i = 0; i < data.length; i++) data[i] = (rng.unsafeNext() >>> 0) / 2 ** 31 - 1;
  return { data, shape };
}

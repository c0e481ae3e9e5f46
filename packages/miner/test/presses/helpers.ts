import type { Tensor3 } from '@signal/miner';
import { SeededRandom } from '@signal/runtime';

/** A tensor filled with reproducible values in [-1, 1). */
export function randomTensor(shape: [number, number, number], seed: number): Tensor3 {
  const random = new SeededRandom(seed);
  const data = new Float32Array(shape[0] * shape[1] * shape[2]);
  for (let i = 0; i < data.length; i++) data[i] = 2 * random.next() - 1;
  return { data, shape };
}

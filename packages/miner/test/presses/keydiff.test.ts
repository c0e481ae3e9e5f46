import { keyDiffScores, PressInputError, runPress, type Tensor3 } from '@signal/miner';
import { randomTensor } from './helpers';

describe('keydiff', () => {
  it('keeps the keys least like their head’s average direction', () => {
    // One head, head_dim 2: three keys along x (one long), one along y, one zero.
    const keys: Tensor3 = {
      data: Float32Array.from([1, 0, 5, 0, 1, 0, 0, 2, 0, 0]),
      shape: [1, 5, 2],
    };
    const scores = [...keyDiffScores(keys).data];
    // The anchor is the mean unit key (0.6, 0.2); the key along y is the farthest from it.
    const anchor = Math.hypot(0.6, 0.2);
    expect(scores[0]).toBeCloseTo(-0.6 / anchor, 6);
    expect(scores[1]).toBeCloseTo(scores[0]!, 6);
    expect(scores[3]).toBeCloseTo(-0.2 / anchor, 6);
    expect(scores[4]).toBeCloseTo(0, 9);
    const selection = runPress({ press: 'keydiff', layers: [{ keys }], ratio: 0.6 });
    expect([...selection.layers[0]![0]!]).toEqual([3, 4]);
  });

  it('keeps exactly the budget in every head and layer', () => {
    const layers = [1, 2].map((seed) => ({ keys: randomTensor([3, 50, 8], seed) }));
    for (const ratio of [0.25, 0.5, 0.75, 0.875]) {
      const selection = runPress({ press: 'keydiff', layers, ratio });
      for (const heads of selection.layers) {
        for (const kept of heads) expect(kept).toHaveLength(Math.round(50 * (1 - ratio)));
      }
    }
  });

  it('refuses NaN keys with a typed error', () => {
    const keys = randomTensor([1, 4, 2], 3);
    keys.data[2] = Number.NaN;
    expect(() => keyDiffScores(keys)).toThrow(PressInputError);
  });
});

import { type HeadScores, PressInputError, selectHeadAdaptive, selectKept } from '@signal/miner';
import { SeededRandom } from '@signal/runtime';

const scoresOf = (heads: number[][]): HeadScores => ({
  heads: heads.length,
  length: heads[0]!.length,
  data: Float32Array.from(heads.flat()),
});

describe('head-adaptive budgets', () => {
  it('gives the budget to the head that spreads its attention', () => {
    // Head 0 attends to one position, head 1 evenly to six.
    const layer = scoresOf([
      [0.9, 0.02, 0.02, 0.02, 0.02, 0.02, 0, 0],
      [0.16, 0.16, 0.17, 0.17, 0.17, 0.17, 0, 0],
    ]);
    const adaptive = selectHeadAdaptive([layer], 0.5, { safeguard: 0.25 });
    expect(adaptive.perLayer).toBe(8);
    // Each head first keeps its own top one; of the six left, five go to head 1's spread.
    expect([...adaptive.layers[0]![0]!]).toEqual([0, 5]);
    expect([...adaptive.layers[0]![1]!]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(adaptive.widest).toBe(6);
    // The same k per head would cut the spread head to four of its six.
    expect([...selectKept([layer], 0.5).layers[0]![1]!]).toHaveLength(4);
  });

  it('keeps exactly heads × k per layer, at least the safeguard per head, positions ascending', () => {
    const random = new SeededRandom(9);
    const layers = Array.from({ length: 3 }, () => ({
      heads: 4,
      length: 40,
      data: Float32Array.from({ length: 160 }, () => random.next() ** 4),
    }));
    for (const ratio of [0.25, 0.5, 0.75, 0.875]) {
      const kept = Math.round(40 * (1 - ratio));
      const selection = selectHeadAdaptive(layers, ratio);
      expect(selection.kept).toBe(kept);
      for (const heads of selection.layers) {
        expect(heads.reduce((sum, h) => sum + h.length, 0)).toBe(4 * kept);
        for (const positions of heads) {
          expect(positions.length).toBeGreaterThanOrEqual(Math.floor(kept * 0.2));
          expect([...positions]).toEqual([...positions].sort((a, b) => a - b));
          expect(new Set(positions).size).toBe(positions.length);
        }
      }
      expect(selection.widest).toBe(Math.max(...selection.layers.flat().map((h) => h.length)));
    }
  });

  it('refuses a safeguard outside [0, 1] and NaN scores', () => {
    const layer = scoresOf([[0.1, 0.2, 0.3, 0.4]]);
    expect(() => selectHeadAdaptive([layer], 0.5, { safeguard: 2 })).toThrow(PressInputError);
    expect(() => selectHeadAdaptive([scoresOf([[0.1, Number.NaN, 0.3, 0.4]])], 0.5)).toThrow(
      PressInputError,
    );
  });
});

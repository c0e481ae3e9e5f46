import { batches, requestsPerMiner } from '@signal/validator';

describe('requestsPerMiner', () => {
  it('shares the tier requests among its miners, at least one each', () => {
    expect(requestsPerMiner({ requestsPerEpoch: 256 }, 10)).toBe(25);
    expect(requestsPerMiner({ requestsPerEpoch: 4 }, 10)).toBe(1);
    expect(requestsPerMiner({ requestsPerEpoch: 4 }, 0)).toBe(0);
    expect(requestsPerMiner({ requestsPerEpoch: 0 }, 3)).toBe(0);
    expect(requestsPerMiner({ requestsPerEpoch: 256 }, 10, 2)).toBe(2);
  });
});

describe('batches', () => {
  it('splits in order with a short last batch', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 3)).toEqual([]);
  });
});

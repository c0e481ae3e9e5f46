import { yumaConsensus } from '../src/local/yumaConsensus';

const row = (entries: [number, number][]) => new Map(entries);

describe('yumaConsensus', () => {
  it('clips a minority validator that overweights its own pick', () => {
    // uids 0,1,2 validators (stake 60/30/10); 3,4 miners.
    const result = yumaConsensus({
      n: 5,
      stake: [60, 30, 10, 0, 0],
      weights: new Map([
        [
          0,
          row([
            [3, 0.5],
            [4, 0.5],
          ]),
        ],
        [
          1,
          row([
            [3, 0.5],
            [4, 0.5],
          ]),
        ],
        [2, row([[4, 1]])],
      ]),
    });
    // A 90 % majority says 0.5 for each; the 10 % validator's 1.0 on uid 4 is clipped.
    expect(result.consensus[3]).toBeCloseTo(0.5);
    expect(result.consensus[4]).toBeCloseTo(0.5);
    expect(result.incentive[3]).toBeCloseTo(0.45 / 0.95);
    expect(result.incentive[4]).toBeCloseTo(0.5 / 0.95);
    expect(result.trust[4]).toBeCloseTo(0.5 / 0.55);
    expect(result.trust[3]).toBeCloseTo(1);
    const dividends = result.dividends;
    expect(dividends[0]! + dividends[1]! + dividends[2]!).toBeCloseTo(1);
    expect(dividends[0]).toBeGreaterThan(dividends[1]!);
    expect(dividends[1]).toBeGreaterThan(dividends[2]!);
    expect(result.incentive[0]).toBe(0);
  });

  it('follows the stake majority, not the head count', () => {
    const result = yumaConsensus({
      n: 5,
      stake: [80, 10, 10, 0, 0],
      weights: new Map([
        [0, row([[3, 1]])],
        [1, row([[4, 1]])],
        [2, row([[4, 1]])],
      ]),
    });
    expect(result.incentive[3]).toBeCloseTo(1);
    expect(result.incentive[4]).toBeCloseTo(0);
  });

  it('pays nothing when nobody with stake set weights', () => {
    const result = yumaConsensus({
      n: 3,
      stake: [0, 0, 0],
      weights: new Map([[0, row([[1, 1]])]]),
    });
    expect(result.incentive).toEqual([0, 0, 0]);
    expect(result.dividends).toEqual([0, 0, 0]);
  });
});

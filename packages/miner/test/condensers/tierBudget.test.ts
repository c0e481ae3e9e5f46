import { loadTiers } from '@signal/core';
import { MinerRequestError, tierBudget } from '@signal/miner';

const [tier] = loadTiers([
  {
    name: 'research',
    maxContextChars: 2_500,
    incentive: 1,
    supportingModels: ['m'],
    timeoutSeconds: 10,
    requestsPerEpoch: 10,
    minCondensedTokens: 8,
    maxCondensedTokens: 100,
    minCompressionRate: 0.1,
    maxCompressionRate: 0.8,
    alpha: 0.1,
    maxPayloadBytes: 1024,
  },
]);

describe('tierBudget', () => {
  it('keeps the configured ratio when it fits the tier', () => {
    expect(tierBudget(100, 0.5, tier!)).toEqual({ kept: 50, ratio: 0.5, minKept: 10, maxKept: 80 });
  });

  it('moves the ratio just enough to meet each bound', () => {
    // 0 would keep all 100 tokens: the rate ceiling 0.8 caps it at 80.
    expect(tierBudget(100, 0, tier!).kept).toBe(80);
    // 0.99 would keep 2: the floor is 10 (rate 0.1 of 100) and at least 8.
    expect(tierBudget(100, 0.99, tier!).kept).toBe(10);
    // 1 000 tokens at 0.5 would keep 500: maxCondensedTokens caps it at 100.
    const capped = tierBudget(1_000, 0.5, tier!);
    expect(capped).toEqual({ kept: 100, ratio: 0.9, minKept: 100, maxKept: 100 });
  });

  it('refuses, naming the bound, a context no count can satisfy', () => {
    const refuse = (n: number) => {
      try {
        tierBudget(n, 0.5, tier!);
      } catch (error) {
        return error as MinerRequestError;
      }
      throw new Error('expected a refusal');
    };
    const short = refuse(5);
    expect(short).toBeInstanceOf(MinerRequestError);
    expect(short.status).toBe(422);
    expect(short.message).toMatch(/minCondensedTokens=8/);
    // 2 000 tokens need at least 200 kept (rate 0.1), above maxCondensedTokens = 100.
    expect(refuse(2_000).message).toMatch(/maxCondensedTokens=100/);
  });
});

import { isScoredRequest } from '@signal/validator';

describe('isScoredRequest', () => {
  const requests = Array.from({ length: 4000 }, (_, i) => ({
    taskId: `t${i % 200}`,
    uid: Math.floor(i / 200),
  }));

  it('leaves about the asked fraction unscored, deterministically', () => {
    for (const unscoredFraction of [0.1, 0.25, 0.5]) {
      const scored = requests.filter((r) =>
        isScoredRequest({ seed: 'epoch-9', unscoredFraction, ...r }),
      );
      expect(1 - scored.length / requests.length).toBeCloseTo(unscoredFraction, 1);
      const again = requests.filter((r) =>
        isScoredRequest({ seed: 'epoch-9', unscoredFraction, ...r }),
      );
      expect(again).toEqual(scored);
    }
  });

  it('depends on the secret seed', () => {
    const choice = (seed: string) =>
      requests.map((r) => isScoredRequest({ seed, unscoredFraction: 0.5, ...r }));
    expect(choice('a')).not.toEqual(choice('b'));
  });

  it('scores everything at 0, nothing at 1, and refuses fractions outside [0, 1]', () => {
    expect(requests.every((r) => isScoredRequest({ seed: 's', unscoredFraction: 0, ...r }))).toBe(
      true,
    );
    expect(requests.some((r) => isScoredRequest({ seed: 's', unscoredFraction: 1, ...r }))).toBe(
      false,
    );
    for (const bad of [Number.NaN, -0.1, 1.5]) {
      expect(() =>
        isScoredRequest({ seed: 's', taskId: 't', uid: 0, unscoredFraction: bad }),
      ).toThrow(expect.objectContaining({ code: 'TASK_BAD_PARAMETERS' }));
    }
  });
});

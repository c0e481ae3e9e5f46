import { batches, type MinerState, rankCandidates, requestsPerMiner } from '@signal/validator';

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

describe('rankCandidates', () => {
  const miner = (uid: number, models: string[] = ['m']) => ({
    uid,
    hotkey: `h${uid}`,
    axon: { ip: '127.0.0.1', port: 1000 + uid, hotkey: `h${uid}` },
    tier: 'research',
    models,
    methods: ['knorm'],
  });
  const state = (uid: number, score: number, latency: number, hotkey = `h${uid}`): MinerState => ({
    uid,
    hotkey,
    tier: 'research',
    score,
    observations: 1,
    zeroScores: 0,
    lastLatencyMs: latency,
    updatedAt: 0,
  });

  it('orders by score, then latency, then uid; unscored last', () => {
    const ranked = rankCandidates(
      [miner(1), miner(2), miner(3), miner(4)],
      [state(1, 0.5, 100), state(2, 0.9, 500), state(3, 0.5, 50)],
      'm',
      () => 0,
      4,
    );
    expect(ranked.map((m) => m.uid)).toEqual([2, 3, 1, 4]);
  });

  it('puts miners whose methods make the wanted format first', () => {
    const text = { ...miner(1), methods: ['text'] };
    const ranked = rankCandidates(
      [miner(2), text, miner(3)],
      [state(2, 0.9, 10), state(1, 0.1, 10), state(3, 0.5, 10)],
      'm',
      () => 0,
      4,
      'text',
    );
    expect(ranked.map((m) => m.uid)).toEqual([1, 2, 3]);
  });

  it('skips miners at their in-flight cap, without the model, or scored under an old hotkey', () => {
    const ranked = rankCandidates(
      [miner(1), miner(2, ['other']), miner(3)],
      [state(1, 0.9, 10), state(3, 0.8, 10, 'old-hotkey')],
      'm',
      (uid) => (uid === 1 ? 2 : 0),
      2,
    );
    expect(ranked.map((m) => m.uid)).toEqual([3]);
  });
});

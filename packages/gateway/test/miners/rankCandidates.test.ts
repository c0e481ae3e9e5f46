import { type MinerEntry, rankCandidates } from '@signal/gateway';

const miner = (
  uid: number,
  score: number,
  latencyMs: number | null,
  extra: Partial<MinerEntry> = {},
): MinerEntry => ({
  uid,
  hotkey: `h${uid}`,
  axon: { ip: '127.0.0.1', port: 1000 + uid, hotkey: `h${uid}` },
  tier: 'research',
  models: ['m'],
  methods: ['knorm'],
  score,
  weight: 0,
  latencyMs,
  ...extra,
});

const base = { model: 'm', inFlight: () => 0, maxInFlight: 4, coolingDown: () => false };

it('orders by score, then latency, then uid', () => {
  const ranked = rankCandidates({
    ...base,
    miners: [miner(1, 0.5, 100), miner(2, 0.9, 500), miner(3, 0.5, 50), miner(4, 0, null)],
  });
  expect(ranked.map((m) => m.uid)).toEqual([2, 3, 1, 4]);
});

it('puts miners whose methods make the wanted format first', () => {
  const ranked = rankCandidates({
    ...base,
    miners: [miner(2, 0.9, 10), miner(1, 0.1, 10, { methods: ['text'] }), miner(3, 0.5, 10)],
    format: 'text',
  });
  expect(ranked.map((m) => m.uid)).toEqual([1, 2, 3]);
});

it('skips miners at their in-flight cap, without the model, or cooling down', () => {
  const ranked = rankCandidates({
    ...base,
    miners: [
      miner(1, 0.9, 10),
      miner(2, 0.9, 10, { models: ['other'] }),
      miner(3, 0.8, 10),
      miner(4, 0.7, 10),
    ],
    inFlight: (uid) => (uid === 1 ? 2 : 0),
    maxInFlight: 2,
    coolingDown: (hotkey) => hotkey === 'h4',
  });
  expect(ranked.map((m) => m.uid)).toEqual([3]);
});

import { LocalChain } from '@signal/chain';
import { loadTiers } from '@signal/core';
import {
  computeWeights,
  emitWeights,
  emptyScoreState,
  recordScoredResponse,
  type ScoreState,
} from '@signal/validator';
import { devKey } from '../helpers/keys';
import { memoryCommits } from '../helpers/memoryCommits';

const tiers = loadTiers([
  {
    name: 'research',
    maxContextChars: 100,
    incentive: 0.75,
    supportingModels: ['m'],
    timeoutSeconds: 1,
    requestsPerEpoch: 1,
    minCondensedTokens: 1,
    maxCondensedTokens: 10,
    minCompressionRate: 0.1,
    maxCompressionRate: 1,
    alpha: 0.1,
    maxPayloadBytes: 1024,
  },
  {
    name: 'inference_0',
    maxContextChars: 100,
    incentive: 0.25,
    supportingModels: ['m'],
    timeoutSeconds: 1,
    requestsPerEpoch: 1,
    minCondensedTokens: 1,
    maxCondensedTokens: 10,
    minCompressionRate: 0.1,
    maxCompressionRate: 1,
    alpha: 0.1,
    maxPayloadBytes: 1024,
  },
]);

function stateOf(entries: Array<[number, string, string, number]>): ScoreState {
  return entries.reduce(
    (state, [uid, hotkey, tier, score]) =>
      recordScoredResponse(state, { uid, hotkey, tier, score, latencyMs: 10 }, { now: 1 }),
    emptyScoreState(),
  );
}

const neurons = (pairs: Array<[number, string]>) => pairs.map(([uid, hotkey]) => ({ uid, hotkey }));

describe('computeWeights', () => {
  it('shares each tier by score, scaled by its incentive', () => {
    const state = stateOf([
      [1, 'a', 'research', 1],
      [2, 'b', 'research', 0.5],
      [3, 'c', 'inference_0', 1],
    ]);
    const { uids, weights } = computeWeights(
      state,
      {
        neurons: neurons([
          [1, 'a'],
          [2, 'b'],
          [3, 'c'],
        ]),
      },
      tiers,
    );
    const byUid = new Map(uids.map((uid, i) => [uid, weights[i]!]));
    expect(byUid.get(1)! / byUid.get(2)!).toBeCloseTo(2, 10);
    expect(byUid.get(1)! + byUid.get(2)!).toBeCloseTo(0.75, 10);
    expect(byUid.get(3)).toBeCloseTo(0.25, 10);
  });

  it('leaves out uids that changed hotkey or left, and unknown tiers', () => {
    const state = stateOf([
      [1, 'a', 'research', 1],
      [2, 'b', 'research', 1],
      [3, 'c', 'retired', 1],
    ]);
    const result = computeWeights(
      state,
      {
        neurons: neurons([
          [1, 'a'],
          [2, 'new'],
          [3, 'c'],
        ]),
      },
      tiers,
    );
    expect(result.uids).toEqual([1]);
  });
});

describe('emitWeights', () => {
  async function setup(weightsRateLimit = 3) {
    const chain = await LocalChain.open({ blockTimeMs: 0 });
    await chain.createSubnet(1, { weightsRateLimit });
    const signer = await devKey('//weights-validator');
    await chain.register({
      netuid: 1,
      hotkey: signer.address,
      coldkey: signer.address,
      stake: 10n ** 12n,
    });
    await chain.register({ netuid: 1, hotkey: 'miner', coldkey: 'miner' });
    return { chain, signer };
  }

  it('sets weights, then waits out the rate limit instead of failing', async () => {
    const { chain, signer } = await setup();
    const computed = { uids: [1], weights: [1] };
    const emit = async () =>
      emitWeights({
        chain,
        netuid: 1,
        signer,
        versionKey: 0,
        metagraph: await chain.metagraph(1),
        computed,
        store: memoryCommits(),
      });
    await chain.advance(1);
    expect(await emit()).toMatchObject({ set: true, uids: [1], weights: [65535] });
    await chain.advance(1);
    expect(await emit()).toMatchObject({ set: false, reason: 'rate_limited' });
    await chain.advance(3);
    expect(await emit()).toMatchObject({ set: true });
    await chain.close();
  });

  it('reports chain refusals as outcomes, never throws', async () => {
    const { chain, signer } = await setup();
    const outcome = await emitWeights({
      chain,
      netuid: 1,
      signer,
      versionKey: 0,
      metagraph: await chain.metagraph(1),
      computed: { uids: [99], weights: [1] },
      store: memoryCommits(),
    });
    expect(outcome).toMatchObject({ set: false, reason: 'failed' });
    if (!outcome.set) expect(outcome.message).toMatch(/WEIGHTS_REJECTED/);
    await chain.close();
  });

  it('skips all-zero weights and unregistered hotkeys', async () => {
    const { chain, signer } = await setup();
    const metagraph = await chain.metagraph(1);
    expect(
      await emitWeights({
        chain,
        netuid: 1,
        signer,
        versionKey: 0,
        metagraph,
        computed: { uids: [1], weights: [0] },
        store: memoryCommits(),
      }),
    ).toMatchObject({ set: false, reason: 'no_weights' });
    const stranger = await devKey('//stranger');
    expect(
      await emitWeights({
        chain,
        netuid: 1,
        signer: stranger,
        versionKey: 0,
        metagraph,
        computed: { uids: [1], weights: [1] },
        store: memoryCommits(),
      }),
    ).toMatchObject({ set: false, reason: 'not_registered' });
    await chain.close();
  });
});

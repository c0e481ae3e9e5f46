import { MinerViewSchema } from '@signal/gateway';
import { buildMinerView, type MinerState, type MinerTarget } from '@signal/validator';
import { testTiers } from '../helpers/testTiers';

const tiers = testTiers({ timeoutSeconds: 3 });
const tier = tiers[0]!;

const target = (uid: number, hotkey = `h${uid}`): MinerTarget => ({
  uid,
  hotkey,
  axon: { ip: '127.0.0.1', port: 9000 + uid, hotkey },
  tier: tier.name,
  models: [tier.supportingModels[0]!],
  methods: ['knorm'],
});

const scored = (uid: number, score: number, hotkey = `h${uid}`): MinerState => ({
  uid,
  hotkey,
  tier: tier.name,
  score,
  observations: 1,
  zeroScores: 0,
  lastLatencyMs: 12,
  updatedAt: 0,
});

it('publishes scores and weights of current miners only, in the schema gateways read', () => {
  const metagraph = {
    netuid: 7,
    block: 42,
    n: 2,
    neurons: [
      { uid: 1, hotkey: 'h1' },
      { uid: 2, hotkey: 'new' },
    ],
  } as unknown as Parameters<typeof buildMinerView>[0]['metagraph'];
  const view = buildMinerView({
    netuid: 7,
    validatorHotkey: 'v',
    tiers,
    metagraph,
    miners: [target(1), target(2, 'new')],
    state: { schemaVersion: 1, miners: [scored(1, 0.6), scored(2, 0.9, 'old')], commits: [] },
    canEvaluate: () => true,
    geometries: { [tier.supportingModels[0]!]: { layers: 2, kvHeads: 1, headDim: 8 } },
    now: 5,
  });
  expect(MinerViewSchema.parse(view)).toEqual(view);
  expect(view.block).toBe(42);
  expect(view.defaultModels[tier.name]).toBe(tier.supportingModels[0]);
  const [first, second] = view.miners;
  expect(first).toMatchObject({ uid: 1, score: 0.6, latencyMs: 12 });
  expect(first!.weight).toBeGreaterThan(0);
  // uid 2 changed hotkey: the old hotkey's score does not carry over.
  expect(second).toMatchObject({ uid: 2, hotkey: 'new', score: 0, weight: 0, latencyMs: null });
});

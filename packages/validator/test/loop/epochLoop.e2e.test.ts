import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { LocalChain } from '@signal/chain';
import { type EpochReport, loadScoreState, startValidator } from '@signal/validator';
import { type FakeMiner, startFakeMiner } from '../helpers/fakeMiner';
import { devKey } from '../helpers/keys';
import { localSubnet, NETUID, silent, startHonestMiner } from '../helpers/subnet';
import { testTiers } from '../helpers/testTiers';
import { MODEL_NAME, tinyModel } from '../helpers/tinyModel';
import { warmUp } from '../helpers/warmUp';

jest.setTimeout(300_000);

// The tier's timeout is the time an honest miner has to condense: 3 s was too little on a
// saturated machine (an honest miner timed out and scored fidelity 0); the timeout miner never
// answers, so a longer timeout still tells it apart.
const tiers = testTiers({ timeoutSeconds: 10 });
const geometry = { layers: 2, kvHeads: 2, headDim: 16 };
let model: Awaited<ReturnType<typeof tinyModel>>;
let chain: LocalChain;
let validatorKey: KeyringPair;
let stateDir: string;
const closers: Array<() => Promise<void>> = [];
const honest: Record<string, number> = {};
const bad: Record<string, number> = {};

beforeAll(async () => {
  model = await tinyModel();
  ({ chain, validator: validatorKey } = await localSubnet());
  stateDir = await mkdtemp(join(tmpdir(), 'signal-validator-state-'));
  for (const [name, method] of [
    ['knorm', { method: 'knorm', ratio: 0.5 }],
    ['streaming_llm', { method: 'streaming_llm', ratio: 0.9 }],
    ['random', { method: 'random', ratio: 0.5 }],
    ['text', { method: 'text', ratio: 0.5 }],
  ] as const) {
    const miner = await startHonestMiner({
      chain,
      keyPath: `//miner-${name}`,
      modelDir: model.dir,
      tiers,
      method,
    });
    honest[name] = miner.uid;
    closers.push(() => miner.close());
  }
  // Loading the model on first use is not what the epoch measures.
  await warmUp(validatorKey, Object.values(honest), chain, tiers[0]!.name);
  const fakes: Array<[string, Parameters<typeof startFakeMiner>[0]['behaviour']]> = [
    ['garbage', { kind: 'garbage', ...geometry }],
    ['timeout', { kind: 'timeout' }],
    ['oversized', { kind: 'oversized', ...geometry, tokens: 4096 }],
  ];
  for (const [name, behaviour] of fakes) {
    const miner: FakeMiner = await startFakeMiner({
      chain,
      netuid: NETUID,
      hotkey: await devKey(`//miner-${name}`),
      tier: tiers[0]!.name,
      model: MODEL_NAME,
      behaviour,
    });
    bad[name] = miner.uid;
    closers.push(miner.close);
  }
});

afterAll(async () => {
  for (const close of closers) await close();
  await chain?.close();
  await model?.cleanup();
  await rm(stateDir, { recursive: true, force: true });
});

function options() {
  return {
    chain,
    netuid: NETUID,
    hotkey: validatorKey,
    tiers,
    models: { [MODEL_NAME]: model.dir },
    stateFile: join(stateDir, 'scores.json'),
    seed: 42,
    tasksPerMiner: 2,
    families: ['continuation'] as const,
    unscoredFraction: 0,
    maxContinuationTokens: 12,
    gateway: false as const,
    metrics: false as const,
    logger: silent,
  };
}

async function chainWeights(): Promise<Map<number, number>> {
  const neuron = (await chain.snapshot()).subnets
    .find((subnet) => subnet.netuid === NETUID)!
    .neurons.find((n) => n.hotkey === validatorKey.address)!;
  return new Map(neuron.weights);
}

it('ranks every honest miner above the garbage, timeout and oversized ones, across a restart', async () => {
  const first = await startValidator(options());
  const report1: EpochReport = await first.runEpoch();
  expect(report1.miners).toHaveLength(7);
  expect(report1.weightsSet).toBe(true);
  await first.close();

  const saved = await loadScoreState(options().stateFile);
  expect(saved.miners.map((m) => m.uid).sort()).toEqual(
    [...Object.values(honest), ...Object.values(bad)].sort(),
  );

  // Restart on the same state file: scores carry on from where they were.
  await chain.advance(3);
  const second = await startValidator(options());
  const report2 = await second.runEpoch();
  await second.close();
  expect(report2.weightsSet).toBe(true);

  const after = await loadScoreState(options().stateFile);
  for (const miner of after.miners) {
    const before = saved.miners.find((m) => m.uid === miner.uid)!;
    // Two more observations each, folded into the saved EMA rather than started afresh.
    expect(miner.observations).toBe(before.observations + 2);
  }

  const weights = await chainWeights();
  const weightOf = (uid: number) => weights.get(uid) ?? 0;
  for (const uid of Object.values(bad)) expect(weightOf(uid)).toBe(0);
  for (const uid of Object.values(honest)) expect(weightOf(uid)).toBeGreaterThan(0);

  const byUid = new Map(report2.miners.map((m) => [m.uid, m]));
  for (const uid of Object.values(bad)) expect(byUid.get(uid)!.score).toBe(0);
  for (const uid of Object.values(honest)) {
    const miner = byUid.get(uid)!;
    expect(miner.fidelity).toBeGreaterThan(0);
    expect(miner.compression).toBeGreaterThan(0);
  }
  expect(byUid.get(honest.streaming_llm!)!.compression).toBeGreaterThan(
    byUid.get(honest.knorm!)!.compression,
  );
});

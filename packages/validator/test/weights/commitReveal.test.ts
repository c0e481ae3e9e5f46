import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { KeyringPair } from '@polkadot/keyring/types';
import { LocalChain } from '@signal/chain';
import {
  checkReveals,
  commitRevealView,
  emitWeights,
  ScoreStateStore,
  verifyCommits,
  type WeightCommitRecord,
} from '@signal/validator';
import { pino } from 'pino';
import { devKey } from '../helpers/keys';

// Commits and reveals run pairings; allow for a busy machine.
jest.setTimeout(120_000);

function record(overrides: Partial<WeightCommitRecord> = {}): WeightCommitRecord {
  return {
    netuid: 1,
    epoch: 3,
    revealEpoch: 4,
    revealRound: 100,
    block: 20,
    commitHash: `0x${'aa'.repeat(32)}`,
    uids: [1, 2],
    weights: [65535, 100],
    versionKey: '0',
    committedAt: 1,
    status: 'pending',
    checkedAtBlock: null,
    ...overrides,
  };
}

const observed = (overrides: Partial<Parameters<typeof verifyCommits>[1]> = {}) => ({
  block: 30,
  epoch: 4,
  lastStoredRound: 120,
  heldCommitHashes: new Set<string>(),
  weightsOnChain: [
    [1, 65535],
    [2, 100],
  ] as Array<[number, number]>,
  ...overrides,
});

describe('verifyCommits', () => {
  it('keeps a commit pending while the chain holds it or before its reveal epoch', () => {
    const pending = record();
    expect(
      verifyCommits([pending], observed({ heldCommitHashes: new Set([pending.commitHash]) }))
        .settled,
    ).toEqual([]);
    expect(verifyCommits([pending], observed({ epoch: 3 })).settled).toEqual([]);
  });

  it('settles revealed, superseded and missing commits, saying why one is missing', () => {
    const [revealed] = verifyCommits([record()], observed()).settled;
    expect(revealed).toMatchObject({ status: 'revealed', checkedAtBlock: 30 });
    const older = record({ commitHash: `0x${'01'.repeat(32)}`, uids: [3], weights: [65535] });
    const { records } = verifyCommits([older, record({ epoch: 4, revealEpoch: 4 })], observed());
    expect(records.map((r) => r.status)).toEqual(['superseded', 'revealed']);
    const [neverIngested] = verifyCommits(
      [record({ revealRound: 500 })],
      observed({ weightsOnChain: [] }),
    ).settled;
    expect(neverIngested).toMatchObject({
      status: 'missing',
      detail: expect.stringMatching(/never ingested round 500/),
    });
    const [dropped] = verifyCommits([record()], observed({ weightsOnChain: [[9, 65535]] })).settled;
    expect(dropped).toMatchObject({
      status: 'missing',
      detail: expect.stringMatching(/did not apply/),
    });
    // Settled commits stay settled.
    expect(verifyCommits([revealed!], observed({ weightsOnChain: [] })).settled).toEqual([]);
  });
});

describe('commit-reveal in the validator', () => {
  let dir: string;
  let signer: KeyringPair;
  beforeAll(async () => {
    signer = await devKey('//commit-reveal-validator');
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'signal-cr-validator-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  function capturingLogger() {
    const lines: Array<{ level: number; msg: string; [key: string]: unknown }> = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    return { logger: pino({ level: 'debug' }, stream), lines };
  }

  async function subnet() {
    const chain = await LocalChain.open({ blockTimeMs: 0 });
    await chain.createSubnet(1, {
      tempo: 5,
      weightsRateLimit: 0,
      commitRevealWeightsEnabled: true,
      maxValidators: 1,
    });
    await chain.register({
      netuid: 1,
      hotkey: signer.address,
      coldkey: signer.address,
      stake: 10n ** 12n,
    });
    for (const name of ['a', 'b']) {
      const miner = await devKey(`//cr-miner-${name}`);
      await chain.register({ netuid: 1, hotkey: miner.address, coldkey: miner.address });
    }
    return chain;
  }

  it('commits once per chain epoch, records it atomically, and sees it revealed', async () => {
    const chain = await subnet();
    const file = path.join(dir, 'state.json');
    const store = await ScoreStateStore.open(file);
    const emit = async () =>
      emitWeights({
        chain,
        netuid: 1,
        signer,
        versionKey: 3,
        metagraph: await chain.metagraph(1),
        computed: { uids: [1, 2], weights: [0.75, 0.25] },
        store,
      });
    await chain.advance(1);
    const first = await emit();
    expect(first).toMatchObject({
      set: true,
      path: 'commit',
      uids: [1, 2],
      weights: [65535, 21845],
    });
    // The record is on disk before anything else happens.
    const reopened = await ScoreStateStore.open(file);
    expect(reopened.commits).toEqual([
      expect.objectContaining({
        netuid: 1,
        epoch: 0,
        revealEpoch: 1,
        status: 'pending',
        versionKey: '3',
        block: 1,
      }),
    ]);
    await chain.advance(1);
    expect(await emit()).toMatchObject({ set: false, reason: 'already_committed' });
    expect(store.commits).toHaveLength(1);

    const { logger, lines } = capturingLogger();
    const check = () =>
      checkReveals({ chain, netuid: 1, hotkey: signer.address, uid: 0, store, logger });
    expect(await check()).toEqual([]);
    // Wait block by block for the reveal (reveal epoch 1 starts at block 4; the round is held at 7).
    while ((await chain.weightsOf(1, 0)).length === 0) await chain.advance(1);
    expect(await chain.currentBlock()).toBe(7);
    const settled = await check();
    expect(settled).toEqual([expect.objectContaining({ status: 'revealed', checkedAtBlock: 7 })]);
    expect(lines.find((l) => l.msg === 'committed weights revealed')).toMatchObject({
      revealEpoch: 1,
    });
    expect((await ScoreStateStore.open(file)).commits[0]!.status).toBe('revealed');

    // A new chain epoch takes a new commit.
    await expect(emit()).resolves.toMatchObject({ set: true, path: 'commit' });
    const view = commitRevealView(store.commits, await chain.commitRevealState(1), signer.address);
    expect(view).toMatchObject({
      enabled: true,
      block: 7,
      counts: { pending: 1, revealed: 1, superseded: 0, missing: 0 },
    });
    expect(view.commits[0]).toMatchObject({
      status: 'pending',
      heldByChain: true,
      roundIngested: false,
    });
    expect(view.commits[0]!.blocksUntilRevealEpoch).toBeGreaterThan(0);
    await chain.close();
  });

  it('does not commit twice for an epoch whose commit the chain holds but the state file lost', async () => {
    const chain = await subnet();
    const emit = async (file: string) =>
      emitWeights({
        chain,
        netuid: 1,
        signer,
        versionKey: 3,
        metagraph: await chain.metagraph(1),
        computed: { uids: [1, 2], weights: [0.75, 0.25] },
        store: await ScoreStateStore.open(path.join(dir, file)),
      });
    await chain.advance(1);
    await expect(emit('state.json')).resolves.toMatchObject({ set: true, path: 'commit' });
    await chain.advance(1);
    // A commit that landed while its answer was lost is in no state file.
    await expect(emit('fresh.json')).resolves.toMatchObject({
      set: false,
      reason: 'already_committed',
      message: expect.stringMatching(/epoch 0 were committed at block 1/),
    });
    const state = await chain.commitRevealState(1);
    expect(state.commits.filter((c) => c.hotkey === signer.address)).toHaveLength(1);
    await chain.close();
  });

  it('logs a commit the chain did not reveal', async () => {
    const chain = await subnet();
    const store = await ScoreStateStore.open(path.join(dir, 'state.json'));
    await emitWeights({
      chain,
      netuid: 1,
      signer,
      versionKey: 0,
      metagraph: await chain.metagraph(1),
      computed: { uids: [1, 2], weights: [1, 1] },
      store,
    });
    // Someone outstakes us for the only permit, so the chain drops our reveal.
    const whale = await devKey('//cr-whale');
    await chain.register({
      netuid: 1,
      hotkey: whale.address,
      coldkey: whale.address,
      stake: 10n ** 14n,
    });
    await chain.advance(8);
    const { logger, lines } = capturingLogger();
    const settled = await checkReveals({
      chain,
      netuid: 1,
      hotkey: signer.address,
      uid: 0,
      store,
      logger,
    });
    expect(settled).toEqual([
      expect.objectContaining({
        status: 'missing',
        detail: expect.stringMatching(/did not apply/),
      }),
    ]);
    expect(lines.find((l) => l.msg === 'committed weights were not revealed')).toMatchObject({
      level: 40,
    });
    expect((await chain.commitRevealState(1)).reveals).toEqual([
      expect.objectContaining({
        outcome: 'dropped',
        reason: expect.stringMatching(/NeuronNoValidatorPermit/),
      }),
    ]);
    await chain.close();
  });
});

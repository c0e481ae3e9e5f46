import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { NotRegisteredError } from '../src/errors/ChainErrors';
import { LocalChainStateError } from '../src/errors/LocalChainErrors';
import { WeightsRejectedError } from '../src/errors/WeightsErrors';
import { LocalChain } from '../src/local/LocalChain';

// Chain round trips share two CPU cores with the rest of the suite; allow for a busy machine.
jest.setTimeout(120_000);

describe('LocalChain', () => {
  let dir: string;
  let keys: KeyringPair[];

  beforeAll(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    keys = ['//V0', '//V1', '//M0', '//M1', '//M2'].map((uri) => keyring.addFromUri(uri));
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'signal-localchain-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function devnet(file?: string, maxValidators = 2) {
    const chain = await LocalChain.open({ blockTimeMs: 0, ...(file ? { file } : {}) });
    await chain.createSubnet(1, {
      tempo: 5,
      weightsRateLimit: 3,
      minAllowedWeights: 1,
      maxValidators,
    });
    const [v0, v1, m0, m1, m2] = keys as [
      KeyringPair,
      KeyringPair,
      KeyringPair,
      KeyringPair,
      KeyringPair,
    ];
    await chain.register({
      netuid: 1,
      hotkey: v0.address,
      coldkey: v0.address,
      stake: 700n * 10n ** 9n,
    });
    await chain.register({
      netuid: 1,
      hotkey: v1.address,
      coldkey: v1.address,
      stake: 300n * 10n ** 9n,
    });
    for (const miner of [m0, m1, m2])
      await chain.register({ netuid: 1, hotkey: miner.address, coldkey: miner.address });
    return { chain, v0, v1, m0, m1, m2 };
  }

  it('gives validator permits to the top-k stakes', async () => {
    const { chain, v0, v1, m0 } = await devnet(undefined, 1);
    let metagraph = await chain.metagraph(1);
    expect(metagraph.neurons.map((n) => n.validatorPermit)).toEqual([
      true,
      false,
      false,
      false,
      false,
    ]);
    await chain.addStake(1, v1.address, 500n * 10n ** 9n);
    metagraph = await chain.metagraph(1);
    expect(metagraph.neurons.map((n) => n.validatorPermit)).toEqual([
      false,
      true,
      false,
      false,
      false,
    ]);
    expect(await chain.uidOf(1, m0.address)).toBe(2);
    expect(await chain.stakeOf(1, v0.address)).toBe(700n * 10n ** 9n);
    expect(await chain.isRegistered(1, keys[0]!.address)).toBe(true);
    await chain.close();
  });

  it('enforces the same weight rules as subtensor', async () => {
    const { chain, v0, m0 } = await devnet();
    await chain.advance(1);
    const set = await chain.setWeights({
      netuid: 1,
      uids: [2, 3],
      weights: [0.75, 0.25],
      versionKey: 1,
      signer: v0,
    });
    expect(set).toEqual({ path: 'set_weights', uids: [2, 3], weights: [65535, 21845], block: 1 });
    await expect(
      chain.setWeights({ netuid: 1, uids: [2], weights: [1], versionKey: 1, signer: v0 }),
    ).rejects.toMatchObject({ code: 'WEIGHTS_REJECTED', reason: 'SettingWeightsTooFast' });
    await chain.advance(3);
    await expect(
      chain.setWeights({ netuid: 1, uids: [2, 99], weights: [1, 1], versionKey: 1, signer: v0 }),
    ).rejects.toMatchObject({ reason: 'UidVecContainInvalidOne' });
    await expect(
      chain.setWeights({
        netuid: 1,
        uids: [2, 3],
        weights: [1, Number.NaN],
        versionKey: 1,
        signer: v0,
      }),
    ).rejects.toMatchObject({ reason: 'InvalidWeightValue' });
    await expect(
      chain.setWeights({ netuid: 1, uids: [2, 3], weights: [1, 1], versionKey: 1, signer: m0 }),
    ).rejects.toMatchObject({ reason: 'NeuronNoValidatorPermit' });
    const stranger = new Keyring({ type: 'sr25519' }).addFromUri('//Stranger');
    await expect(
      chain.setWeights({ netuid: 1, uids: [2], weights: [1], versionKey: 1, signer: stranger }),
    ).rejects.toBeInstanceOf(NotRegisteredError);
    await chain.close();

    const strict = await LocalChain.open({ blockTimeMs: 0 });
    await strict.createSubnet(1, {
      minAllowedWeights: 3,
      maxWeightsLimit: 40000,
      weightsVersion: '5',
    });
    await strict.register({ netuid: 1, hotkey: v0.address, coldkey: v0.address, stake: 1n });
    for (const k of keys.slice(1))
      await strict.register({ netuid: 1, hotkey: k.address, coldkey: k.address });
    const attempt = (uids: number[], weights: number[], versionKey = 5) =>
      strict.setWeights({ netuid: 1, uids, weights, versionKey, signer: v0 });
    await expect(attempt([1, 2], [1, 1])).rejects.toMatchObject({ reason: 'WeightVecLengthIsLow' });
    await expect(attempt([1, 2, 3], [10, 1, 1])).rejects.toMatchObject({
      reason: 'MaxWeightExceeded',
    });
    await expect(attempt([1, 2, 3], [1, 1, 1], 4)).rejects.toMatchObject({
      reason: 'IncorrectWeightVersionKey',
    });
    await expect(attempt([1, 2, 3], [1, 1, 1])).resolves.toMatchObject({ uids: [1, 2, 3] });
    await strict.close();

    expect(WeightsRejectedError).toBeDefined();
  });

  it('pays emission by consensus at the tempo boundary', async () => {
    const { chain, v0, v1 } = await devnet();
    await chain.setWeights({
      netuid: 1,
      uids: [2, 3],
      weights: [0.5, 0.5],
      versionKey: 0,
      signer: v0,
    });
    await chain.setWeights({
      netuid: 1,
      uids: [2, 4],
      weights: [0.5, 0.5],
      versionKey: 0,
      signer: v1,
    });
    await chain.advance(5);
    const metagraph = await chain.metagraph(1);
    const [val0, val1, m0, m1, m2] = metagraph.neurons;
    // Both validators back uid 2; only the 70 % validator backs 3, only the 30 % one backs 4.
    expect(m0!.incentive).toBeGreaterThan(m1!.incentive);
    expect(m1!.incentive).toBeGreaterThan(0);
    expect(m2!.incentive).toBe(0);
    expect(m0!.emission).toBeGreaterThan(0n);
    expect(val0!.dividends).toBeGreaterThan(val1!.dividends);
    const total = metagraph.neurons.reduce((acc, n) => acc + n.emission, 0n);
    // 5 blocks × 1 TAO, split in half by incentive and dividends (rounding stays within a few rao).
    expect(Number(5n * 10n ** 9n - total)).toBeLessThan(10);
    expect(m0!.stake.total).toBe(m0!.emission);
    await chain.close();
  });

  it('persists atomically and reloads the same metagraph', async () => {
    const file = path.join(dir, 'chain.json');
    const { chain, m0 } = await devnet(file);
    await chain.serveAxon({ netuid: 1, ip: '127.0.0.1', port: 8091, version: 1, signer: m0 });
    await expect(
      chain.serveAxon({ netuid: 1, ip: '127.0.0.1', port: 8091, version: 1, signer: m0 }),
    ).resolves.toEqual({
      submitted: false,
    });
    await chain.advance(7);
    const before = await chain.metagraph(1);
    await chain.close();
    const json = JSON.parse(await readFile(file, 'utf8'));
    expect(json.version).toBe(1);
    expect(typeof json.subnets[0].neurons[0].stake).toBe('string');
    const reopened = await LocalChain.open({ file, blockTimeMs: 0 });
    expect(await reopened.metagraph(1)).toEqual(before);
    expect(before.neurons[2]!.axon).toEqual({
      ip: '127.0.0.1',
      port: 8091,
      ipType: 4,
      version: 1,
      protocol: 4,
    });
    await reopened.close();
  });

  it('refuses a corrupt state file with a typed error', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, '{"version":1,"block":-3,"subnets":[]}');
    await expect(LocalChain.open({ file, blockTimeMs: 0 })).rejects.toBeInstanceOf(
      LocalChainStateError,
    );
    await writeFile(file, 'nope');
    await expect(LocalChain.open({ file, blockTimeMs: 0 })).rejects.toThrow(/Not valid JSON/);
  });

  it('stops and reports a block it could not persist', async () => {
    const file = path.join(dir, 'gone', 'chain.json');
    // A chain whose directory disappears: the timer's write fails and later calls say so.
    await mkdir(path.dirname(file));
    const failing = await LocalChain.open({ file, blockTimeMs: 20 });
    await rm(path.dirname(file), { recursive: true });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await expect(failing.advance(1)).rejects.toBeInstanceOf(LocalChainStateError);
    await expect(failing.close()).rejects.toThrow(/Producing a block failed/);
  });

  it('advances on its block timer', async () => {
    const chain = await LocalChain.open({ blockTimeMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await chain.currentBlock()).toBeGreaterThanOrEqual(2);
    await chain.close();
  });
});

describe('LocalChain read-only', () => {
  it('opens an existing file without writing it and refuses a missing one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'signal-localchain-ro-'));
    const file = path.join(dir, 'chain.json');
    const chain = await LocalChain.open({ file, blockTimeMs: 0 });
    await chain.createSubnet(3);
    await chain.close();
    const before = await readFile(file, 'utf8');
    const reader = await LocalChain.open({ file, readOnly: true });
    expect((await reader.metagraph(3)).n).toBe(0);
    await expect(reader.advance(1)).rejects.toThrow(/read-only/);
    await expect(reader.metagraph(3, { blockHash: `0x${'00'.repeat(32)}` })).rejects.toThrow(
      /no block history/,
    );
    await reader.close();
    expect(await readFile(file, 'utf8')).toBe(before);
    await expect(
      LocalChain.open({ file: path.join(dir, 'missing.json'), readOnly: true }),
    ).rejects.toBeInstanceOf(LocalChainStateError);
    await rm(dir, { recursive: true, force: true });
  });
});

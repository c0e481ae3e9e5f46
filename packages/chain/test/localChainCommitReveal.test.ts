import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hexToBytes } from '@noble/hashes/utils';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { firstBlockOfEpoch } from '../src/epochs/epochSchedule';
import { LocalChain } from '../src/local/LocalChain';
import { verifyRoundSignature } from '../src/timelock/roundSignature';
import { decryptWeightsCommit } from '../src/timelock/weightsCommit';

// Each commit and reveal runs pairings; allow for a busy machine.
jest.setTimeout(120_000);

describe('LocalChain commit-reveal', () => {
  let validator: KeyringPair;
  let other: KeyringPair;
  const miners = ['//CR-M0', '//CR-M1', '//CR-M2'];
  beforeAll(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    validator = keyring.addFromUri('//CR-V0');
    other = keyring.addFromUri('//CR-V1');
  });

  async function subnet(
    chain: LocalChain,
    overrides: Parameters<LocalChain['createSubnet']>[1] = {},
  ) {
    await chain.createSubnet(1, {
      tempo: 5,
      weightsRateLimit: 0,
      commitRevealWeightsEnabled: true,
      commitRevealPeriod: 1,
      ...overrides,
    });
    await chain.register({
      netuid: 1,
      hotkey: validator.address,
      coldkey: validator.address,
      stake: 10n ** 12n,
    });
    for (const uri of miners) {
      const key = new Keyring({ type: 'sr25519' }).addFromUri(uri);
      await chain.register({ netuid: 1, hotkey: key.address, coldkey: key.address });
    }
  }

  it('commits instead of setting, and the weights appear only in the reveal epoch', async () => {
    const chain = await LocalChain.open({ blockTimeMs: 0 });
    await subnet(chain);
    await chain.advance(1);
    const result = await chain.setWeights({
      netuid: 1,
      uids: [1, 2],
      weights: [3, 1],
      versionKey: 2,
      signer: validator,
    });
    expect(result.path).toBe('commit');
    if (result.path !== 'commit') throw new Error('unreachable');
    expect(result).toMatchObject({ uids: [1, 2], weights: [65535, 21845], block: 1 });
    // tempo 5, netuid 1: epoch = (block + 2) / 6, so block 1 is in epoch 0 and epoch 1 starts at block 4.
    expect(result.commit).toMatchObject({ epoch: 0, revealEpoch: 1, version: 4 });
    const state = await chain.commitRevealState(1);
    expect(state.commits).toEqual([
      expect.objectContaining({
        hotkey: validator.address,
        epoch: 0,
        block: 1,
        revealRound: result.commit.revealRound,
      }),
    ]);
    expect(state.commits[0]!.commitHash).toBe(result.commit.commitHash);
    // The commit opens with the local beacon's signature of its round, to our own payload.
    const commit = hexToBytes(state.commits[0]!.commitHex.slice(2));
    const firstReveal = firstBlockOfEpoch(1, 5, 1);
    expect(firstReveal).toBe(4);
    for (let block = 2; block < firstReveal + 3; block += 1) {
      await chain.advance(1);
      expect(await chain.weightsOf(1, 0)).toEqual([]);
      expect(await chain.beaconPulse(result.commit.revealRound)).toBeNull();
    }
    await chain.advance(1);
    expect(await chain.currentBlock()).toBe(firstReveal + 3);
    expect(await chain.weightsOf(1, 0)).toEqual([
      [1, 65535],
      [2, 21845],
    ]);
    const after = await chain.commitRevealState(1);
    expect(after.commits).toEqual([]);
    expect(after.reveals).toEqual([
      {
        hotkey: validator.address,
        epoch: 0,
        revealRound: result.commit.revealRound,
        block: 7,
        outcome: 'revealed',
      },
    ]);
    expect(after.lastStoredRound).toBeGreaterThanOrEqual(result.commit.revealRound);
    const pulse = (await chain.beaconPulse(result.commit.revealRound))!;
    expect(verifyRoundSignature(after.beacon.publicKeyHex, result.commit.revealRound, pulse)).toBe(
      true,
    );
    expect(
      decryptWeightsCommit(commit, pulse, {
        round: result.commit.revealRound,
        beaconPublicKeyHex: after.beacon.publicKeyHex,
      }),
    ).toEqual({
      hotkey: decodeAddress(validator.address),
      uids: [1, 2],
      values: [65535, 21845],
      versionKey: 2n,
    });
    // The epoch that runs at the end of the reveal epoch (block 9) pays by the revealed weights.
    await chain.advance(2);
    const metagraph = await chain.metagraph(1);
    expect(metagraph.neurons[1]!.incentive).toBeGreaterThan(metagraph.neurons[2]!.incentive);
    expect(metagraph.neurons[3]!.incentive).toBe(0);
    await chain.close();
  });

  it('refuses a version mismatch and an eleventh commit in an epoch before filing anything', async () => {
    const chain = await LocalChain.open({ blockTimeMs: 0 });
    await subnet(chain, { tempo: 100 });
    const commitOnce = () =>
      chain.setWeights({ netuid: 1, uids: [1], weights: [1], versionKey: 0, signer: validator });
    for (let i = 0; i < 10; i += 1)
      await expect(commitOnce()).resolves.toMatchObject({ path: 'commit' });
    await expect(commitOnce()).rejects.toMatchObject({
      code: 'WEIGHTS_REJECTED',
      reason: 'TooManyUnrevealedCommits',
    });
    await chain.setCommitRevealVersion(3);
    await expect(commitOnce()).rejects.toMatchObject({ reason: 'IncorrectCommitRevealVersion' });
    expect((await chain.commitRevealState(1)).commits).toHaveLength(10);
    await chain.close();
  });

  it('drops a commit whose weights the chain refuses at reveal, and says why', async () => {
    const chain = await LocalChain.open({ blockTimeMs: 0 });
    await subnet(chain, { maxValidators: 1 });
    await chain.setWeights({
      netuid: 1,
      uids: [1, 2],
      weights: [1, 1],
      versionKey: 0,
      signer: validator,
    });
    // Before the reveal another hotkey outstakes us and takes the only validator permit.
    await chain.register({
      netuid: 1,
      hotkey: other.address,
      coldkey: other.address,
      stake: 10n ** 13n,
    });
    await chain.advance(8);
    const state = await chain.commitRevealState(1);
    expect(state.reveals).toEqual([
      expect.objectContaining({
        outcome: 'dropped',
        reason: expect.stringMatching(/NeuronNoValidatorPermit/),
      }),
    ]);
    expect(await chain.weightsOf(1, 0)).toEqual([]);
    await chain.close();
  });

  it('reveals for every process sharing the file, and keeps the plain path when commit-reveal is off', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'signal-cr-'));
    try {
      const file = path.join(dir, 'chain.json');
      const a = await LocalChain.open({ file, blockTimeMs: 0 });
      const b = await LocalChain.open({ file, blockTimeMs: 0 });
      await subnet(a);
      const committed = await b.setWeights({
        netuid: 1,
        uids: [3],
        weights: [1],
        versionKey: 0,
        signer: validator,
      });
      expect(committed.path).toBe('commit');
      await a.advance(7);
      expect(await b.weightsOf(1, 0)).toEqual([[3, 65535]]);
      expect((await b.commitRevealState(1)).beacon.publicKeyHex).toBe(
        (await a.commitRevealState(1)).beacon.publicKeyHex,
      );
      await a.close();
      await b.close();
      const plain = await LocalChain.open({ blockTimeMs: 0 });
      await subnet(plain, { commitRevealWeightsEnabled: false });
      await expect(
        plain.setWeights({ netuid: 1, uids: [3], weights: [1], versionKey: 0, signer: validator }),
      ).resolves.toMatchObject({ path: 'set_weights', uids: [3] });
      expect(await plain.weightsOf(1, 0)).toEqual([[3, 65535]]);
      await plain.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

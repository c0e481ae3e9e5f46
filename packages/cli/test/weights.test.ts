import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { LocalChain, TimelockError } from '@signal/chain';
import { createProgram } from '@signal/cli';
import { emitWeights, ScoreStateStore } from '@signal/validator';
import { captureOutput } from './support/capturedOutput';

// Commits and reveals run pairings; allow for a busy machine.
jest.setTimeout(120_000);

const ROUND_1000 =
  'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39';
const ROUND_2000 =
  'b6cb8f482a0b15d45936a4c4ea08e98a087e71787caee3f4d07a8a9843b1bc5423c6b3c22f446488b3137eaca799c77e';

const run = (...args: string[]) =>
  createProgram().parseAsync(['node', 'signal', 'weights', ...args]);
const printed = captureOutput();

describe('signal weights', () => {
  let alice: string;
  beforeAll(async () => {
    await cryptoWaitReady();
    alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice').address;
  });

  it('encrypts to a quicknet round and decrypts with that round’s real signature', async () => {
    await run(
      'encrypt',
      '--hotkey',
      alice,
      '--uids',
      '0,1',
      '--weights',
      '0.7,0.3',
      '--version-key',
      '42',
      '--round',
      '1000',
      '--json',
    );
    const encrypted = printed.json();
    expect(encrypted).toEqual({
      commit_hex: expect.stringMatching(/^[0-9a-f]+$/),
      reveal_round: 1000,
    });
    await run(
      'decrypt',
      '--commit',
      encrypted.commit_hex,
      '--signature',
      ROUND_1000,
      '--round',
      '1000',
      '--json',
    );
    expect(printed.json()).toEqual({
      hotkey: alice,
      uids: [0, 1],
      values: [65535, 28086],
      version_key: 42,
    });
    await run('decrypt', '--commit', `0x${encrypted.commit_hex}`, '--signature', ROUND_1000);
    expect(printed.text()).toContain('values 65535,28086');

    // Another round's signature, a wrong round claim and a cut commit are typed refusals.
    await expect(
      run('decrypt', '--commit', encrypted.commit_hex, '--signature', ROUND_2000),
    ).rejects.toMatchObject({
      code: 'TIMELOCK_WRONG_ROUND',
    });
    await expect(
      run(
        'decrypt',
        '--commit',
        encrypted.commit_hex,
        '--signature',
        ROUND_2000,
        '--round',
        '1000',
      ),
    ).rejects.toBeInstanceOf(TimelockError);
    await expect(
      run('decrypt', '--commit', encrypted.commit_hex.slice(0, 200), '--signature', ROUND_1000),
    ).rejects.toMatchObject({ code: 'TIMELOCK_MALFORMED' });
    await expect(
      run('decrypt', '--commit', 'xyz', '--signature', ROUND_1000),
    ).rejects.toMatchObject({
      code: 'commander.invalidArgument',
    });
    await expect(
      run('encrypt', '--hotkey', alice, '--uids', '0,1', '--weights', '1', '--round', '1000'),
    ).rejects.toThrow(/2 items but --weights has 1/);
  });

  it('shows a LocalChain’s pending commits, opens them once the round is held, and a validator’s view', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'signal-cli-weights-'));
    try {
      const file = path.join(dir, 'chain.json');
      const chain = await LocalChain.open({ file, blockTimeMs: 0 });
      await chain.createSubnet(1, {
        tempo: 5,
        weightsRateLimit: 0,
        commitRevealWeightsEnabled: true,
      });
      const signer = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(
        '//cli-weights-validator',
      );
      await chain.register({
        netuid: 1,
        hotkey: signer.address,
        coldkey: signer.address,
        stake: 10n ** 12n,
      });
      await chain.register({ netuid: 1, hotkey: alice, coldkey: alice });
      const stateFile = path.join(dir, 'state.json');
      const store = await ScoreStateStore.open(stateFile);
      // Block 3 runs the epoch, so the commit is filed under epoch 1 (revealed in epoch 2, from
      // block 10), while its round is the one for epoch 1 (block 7): held before its reveal.
      await chain.advance(3);
      await emitWeights({
        chain,
        netuid: 1,
        signer,
        versionKey: 5,
        metagraph: await chain.metagraph(1),
        computed: { uids: [1], weights: [1] },
        store,
      });
      const status = (...extra: string[]) =>
        run('status', '--subtensor.network', `local:${file}`, '--netuid', '1', '--json', ...extra);
      await status();
      const before = printed.json();
      expect(before).toMatchObject({
        enabled: true,
        version: 4,
        epoch: 0,
        commit_epoch: 1,
        reveal_period_epochs: 1,
        reveals: [],
      });
      expect(before.pending).toEqual([
        expect.objectContaining({
          hotkey: signer.address,
          epoch: 1,
          reveal_epoch: 2,
          round_ingested: false,
          opened: null,
        }),
      ]);
      // Past the round but before the reveal epoch: held and opened, not applied yet.
      await chain.advance(5);
      await status('--state.file', stateFile, '--hotkey', signer.address);
      const held = printed.json();
      expect(held.pending[0]).toMatchObject({
        round_ingested: true,
        opened: { hotkey: signer.address, uids: [1], values: [65535], version_key: 5 },
      });
      expect(held.validator).toMatchObject({ hotkey: signer.address, counts: { pending: 1 } });
      await chain.advance(2);
      await status();
      const after = printed.json();
      expect(after.pending).toEqual([]);
      expect(after.reveals).toEqual([
        expect.objectContaining({ hotkey: signer.address, outcome: 'revealed' }),
      ]);
      await run('status', '--subtensor.network', `local:${file}`, '--netuid', '1');
      expect(printed.text()).toMatch(
        /commit-reveal on .*\n.*pending commits: 0\n.*recent reveals: 1/s,
      );
      await expect(status('--state.file', stateFile)).rejects.toThrow(/needs --hotkey/);
      await chain.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

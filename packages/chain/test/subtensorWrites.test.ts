import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { DispatchError } from '@polkadot/types/interfaces';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { commitEpochOf, epochIndex } from '../src/epochs/epochSchedule';
import { ChainRequestError } from '../src/errors/ChainErrors';
import { Subtensor } from '../src/subtensor/Subtensor';
import { dispatchErrorName } from '../src/subtensor/submitExtrinsic';
import { type RecordedCall, type ReplayServer, startReplayServer } from '../src/testing';
import { computeRevealRound } from '../src/timelock/revealRound';
import { decodeTleCiphertext, TLE_OVERHEAD_BYTES } from '../src/timelock/tleCiphertext';
import { encodeWeightsTlockPayload } from '../src/timelock/weightsTlockPayload';
import { finneyFixture, startFinneyReplay } from './support/fixtures';

// Chain round trips share two CPU cores with the rest of the suite; allow for a busy machine.
jest.setTimeout(120_000);

/**
 * A node whose state differs from the recording only in the entries a weight submission
 * reads. The values are SCALE-encoded with the spec-343 registry, so the client decodes them
 * exactly as it would decode finney's.
 */
const GRANDPARENT = `0x${'11'.repeat(32)}`;

describe('Subtensor setWeights / serveAxon pre-checks', () => {
  const fixture = finneyFixture();
  const head = fixture.recording.block_hash;
  let finney: ReplayServer;
  let reference: Subtensor;
  let alice: KeyringPair;
  let bob: KeyringPair;
  const opened: { server: ReplayServer; subtensor: Subtensor }[] = [];

  beforeAll(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    alice = keyring.addFromUri('//Alice');
    bob = keyring.addFromUri('//Bob');
    finney = await startFinneyReplay();
    reference = await Subtensor.connect({ network: finney.url, timeoutMs: 30_000 });
  });

  afterAll(async () => {
    for (const { server, subtensor } of opened) {
      await subtensor.close();
      await server.close();
    }
    await reference?.close();
    await finney?.close();
  });

  function encode(type: string, value: unknown): string {
    return u8aToHex(reference.api.registry.createType(type, value).toU8a());
  }

  function storageKey(item: string, ...args: unknown[]): string {
    return palletKey('subtensorModule', item, ...args);
  }

  function palletKey(pallet: string, item: string, ...args: unknown[]): string {
    const entry = reference.api.query[pallet]?.[item];
    if (!entry) throw new Error(`no storage item ${pallet}.${item}`);
    return entry.key(...args);
  }

  const nodes = new Map<string, Promise<{ server: ReplayServer; subtensor: Subtensor }>>();

  interface NodeState {
    commitReveal: boolean;
    lastUpdateAgo: number;
    /** CommitRevealWeightsVersion (default 4). */
    version?: number;
    /** Commits of Alice already filed under the current commit epoch. */
    unrevealed?: number;
  }

  const TEMPO = 360;
  const HEAD_NUMBER = fixture.recording.block_number;
  const commitEpoch = commitEpochOf(1, TEMPO, HEAD_NUMBER);

  /** One test node per distinct state, shared by the tests that need that state. */
  function node(options: NodeState) {
    const key = JSON.stringify(options);
    let started = nodes.get(key);
    if (!started) {
      started = startNode(options);
      nodes.set(key, started);
    }
    return started;
  }

  async function startNode(options: NodeState) {
    const n = 8;
    const aliceUid = 5;
    const lastUpdate = Array.from({ length: n }, (_, uid) =>
      uid === aliceUid ? fixture.recording.block_number - options.lastUpdateAgo : 0,
    );
    const hyperparameters = {
      tempo: TEMPO,
      immunityPeriod: 5000,
      minAllowedWeights: 1,
      maxWeightsLimit: 65535,
      weightsVersion: 0,
      weightsRateLimit: 100,
      activityCutoff: 5000,
      registrationAllowed: true,
      maxValidators: 64,
      commitRevealWeightsEnabled: options.commitReveal,
      commitRevealPeriod: 1,
    };
    const queued = Array.from({ length: options.unrevealed ?? 0 }, (_, i) => [
      alice.address,
      HEAD_NUMBER - i - 1,
      `0x${'ab'.repeat(300)}`,
      19_000_000 + i,
    ]);
    const headHeader = fixture.recording.calls.find((call) => call.method === 'chain_getHeader')!
      .result as { parentHash: string; number: string };
    const runtimeVersion = fixture.recording.calls.find(
      (call) => call.method === 'state_getRuntimeVersion',
    )!.result;
    const extra: RecordedCall[] = [
      { method: 'state_getRuntimeVersion', params: [GRANDPARENT], result: runtimeVersion },
      {
        // Signing picks a mortal era from the parent of the head; the recording stops at the
        // head, so the test node holds a parent header (its own parent hash is made up).
        method: 'chain_getHeader',
        params: [headHeader.parentHash],
        result: {
          ...headHeader,
          parentHash: GRANDPARENT,
          number: `0x${(fixture.recording.block_number - 1).toString(16)}`,
        },
      },
      {
        method: 'state_call',
        params: ['AccountNonceApi_account_nonce', u8aToHex(alice.publicKey)],
        result: encode('u32', 3),
      },
      {
        method: 'state_call',
        params: ['SubnetInfoRuntimeApi_get_subnet_hyperparams_v2', '0x0100', head],
        result: encode(
          'Option<PalletSubtensorRpcInfoSubnetInfoSubnetHyperparamsV2>',
          hyperparameters,
        ),
      },
      {
        method: 'state_getStorage',
        params: [storageKey('uids', 1, alice.address), head],
        result: encode('u16', aliceUid),
      },
      {
        method: 'state_getStorage',
        params: [storageKey('uids', 1, bob.address), head],
        result: null,
      },
      {
        method: 'state_getStorage',
        params: [storageKey('subnetworkN', 1), head],
        result: encode('u16', n),
      },
      {
        method: 'state_getStorage',
        params: [storageKey('lastUpdate', 1), head],
        result: encode('Vec<u64>', lastUpdate),
      },
      {
        method: 'state_getStorage',
        params: [storageKey('validatorPermit', 1), head],
        result: encode(
          'Vec<bool>',
          Array.from({ length: n }, (_, uid) => uid === aliceUid),
        ),
      },
      {
        method: 'state_getStorage',
        params: [storageKey('commitRevealWeightsVersion'), head],
        result: encode('u16', options.version ?? 4),
      },
      {
        method: 'state_getStorage',
        params: [palletKey('drand', 'lastStoredRound'), head],
        result: encode('u64', 19_100_000),
      },
      {
        method: 'state_getStorage',
        params: [storageKey('timelockedWeightCommits', 1, commitEpoch - 1), head],
        result: null,
      },
      {
        method: 'state_getStorage',
        params: [storageKey('timelockedWeightCommits', 1, commitEpoch), head],
        result: queued.length === 0 ? null : encode('Vec<(AccountId32,u64,Bytes,u64)>', queued),
      },
      {
        method: 'state_getStorage',
        params: [storageKey('weights', 1, aliceUid), head],
        result: encode('Vec<(u16,u16)>', [
          [1, 65535],
          [2, 100],
        ]),
      },
      {
        method: 'state_getStorage',
        params: [storageKey('totalHotkeyAlpha', alice.address, 1), head],
        result: encode('u64', 123_456_789n),
      },
      {
        method: 'state_getStorage',
        params: [storageKey('axons', 1, alice.address), head],
        result: encode('PalletSubtensorAxonInfo', {
          block: 6_800_000,
          version: 7,
          ip: 3235789677n,
          port: 6028,
          ipType: 4,
          protocol: 4,
        }),
      },
    ];
    const server = await startReplayServer({
      recording: { ...fixture.recording, calls: [...fixture.recording.calls, ...extra] },
      metadataHex: fixture.metadataHex,
    });
    const subtensor = await Subtensor.connect({ network: server.url, timeoutMs: 30_000 });
    opened.push({ server, subtensor });
    return { server, subtensor };
  }

  it('reads registration and stake at the head', async () => {
    const { subtensor } = await node({ commitReveal: false, lastUpdateAgo: 500 });
    expect(await subtensor.uidOf(1, alice.address)).toBe(5);
    expect(await subtensor.isRegistered(1, bob.address)).toBe(false);
    expect(await subtensor.stakeOf(1, alice.address)).toBe(123_456_789n);
    expect((await subtensor.hyperparameters(1)).weightsRateLimit).toBe(100);
  });

  it('commits timelocked weights when commit-reveal is on, with the chain’s version', async () => {
    const { subtensor, server } = await node({ commitReveal: true, lastUpdateAgo: 500 });
    const before = Date.now() / 1000;
    await expect(
      subtensor.setWeights({
        netuid: 1,
        uids: [1, 2],
        weights: [1, 3],
        versionKey: 7,
        signer: alice,
      }),
    ).rejects.toMatchObject({ code: 'CHAIN_REQUEST', details: expect.stringMatching(/1010/) });
    const after = Date.now() / 1000;
    const submitted = server.received.find((call) => call.method.startsWith('author_submit'));
    const extrinsic = subtensor.api.registry.createType('Extrinsic', submitted!.params[0]);
    expect(extrinsic.method.method).toBe('commitTimelockedMechanismWeights');
    const [netuid, mecid, commit, revealRound, version] = extrinsic.method.args;
    expect([netuid!.toJSON(), mecid!.toJSON(), version!.toJSON()]).toEqual([1, 0, 4]);
    const bytes = commit!.toU8a(true);
    const plaintext = encodeWeightsTlockPayload({
      hotkey: alice.publicKey,
      uids: [1, 2],
      values: [21845, 65535],
      versionKey: 7n,
    });
    expect(bytes.length).toBe(plaintext.length + TLE_OVERHEAD_BYTES);
    expect(decodeTleCiphertext(bytes).ciphertext.length).toBe(plaintext.length + 16);
    const round = (nowSeconds: number) =>
      computeRevealRound({
        tempo: TEMPO,
        currentBlock: HEAD_NUMBER,
        netuid: 1,
        revealPeriodEpochs: 1,
        blockTimeSeconds: 12,
        nowSeconds,
      });
    expect(Number(revealRound!.toString())).toBeGreaterThanOrEqual(round(before));
    expect(Number(revealRound!.toString())).toBeLessThanOrEqual(round(after));
    expect(extrinsic.signer.toString()).toBe(alice.address);
  });

  it('refuses a commit-reveal version mismatch and a full commit queue before submitting', async () => {
    const mismatch = await node({ commitReveal: true, lastUpdateAgo: 500, version: 5 });
    await expect(
      mismatch.subtensor.setWeights({
        netuid: 1,
        uids: [1],
        weights: [1],
        versionKey: 0,
        signer: alice,
      }),
    ).rejects.toMatchObject({
      code: 'WEIGHTS_REJECTED',
      reason: 'IncorrectCommitRevealVersion',
      details: expect.stringMatching(/expects commit_reveal_version 5/),
    });
    const full = await node({ commitReveal: true, lastUpdateAgo: 500, unrevealed: 10 });
    await expect(
      full.subtensor.setWeights({
        netuid: 1,
        uids: [1],
        weights: [1],
        versionKey: 0,
        signer: alice,
      }),
    ).rejects.toMatchObject({ code: 'WEIGHTS_REJECTED', reason: 'TooManyUnrevealedCommits' });
    const tooFast = await node({ commitReveal: true, lastUpdateAgo: 10 });
    await expect(
      tooFast.subtensor.setWeights({
        netuid: 1,
        uids: [1],
        weights: [1],
        versionKey: 0,
        signer: alice,
      }),
    ).rejects.toMatchObject({ code: 'WEIGHTS_REJECTED', reason: 'CommittingWeightsTooFast' });
    for (const { server } of [mismatch, full, tooFast]) {
      expect(server.requests.some((m) => m.startsWith('author_'))).toBe(false);
    }
  });

  it('reads the commit-reveal state: version, epochs, ingested round, queued commits', async () => {
    const { subtensor } = await node({ commitReveal: true, lastUpdateAgo: 500, unrevealed: 10 });
    const state = await subtensor.commitRevealState(1);
    expect(state).toMatchObject({
      netuid: 1,
      block: HEAD_NUMBER,
      enabled: true,
      version: 4,
      revealPeriodEpochs: 1,
      tempo: TEMPO,
      epoch: epochIndex(1, TEMPO, HEAD_NUMBER),
      commitEpoch,
      lastStoredRound: 19_100_000,
      reveals: null,
    });
    expect(state.commits).toHaveLength(10);
    expect(state.commits[0]).toMatchObject({
      hotkey: alice.address,
      epoch: commitEpoch,
      block: HEAD_NUMBER - 1,
      revealRound: 19_000_000,
      commitHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
    });
    expect(await subtensor.weightsOf(1, 5)).toEqual([
      [1, 65535],
      [2, 100],
    ]);
  });

  it('refuses early inside the rate limit, naming the wait', async () => {
    const { subtensor, server } = await node({ commitReveal: false, lastUpdateAgo: 10 });
    await expect(
      subtensor.setWeights({
        netuid: 1,
        uids: [1, 2],
        weights: [1, 1],
        versionKey: 0,
        signer: alice,
      }),
    ).rejects.toMatchObject({
      code: 'WEIGHTS_REJECTED',
      reason: 'SettingWeightsTooFast',
      details: expect.stringMatching(/wait 90 more/),
    });
    await expect(
      subtensor.setWeights({ netuid: 1, uids: [1], weights: [1], versionKey: 0, signer: bob }),
    ).rejects.toMatchObject({ code: 'NOT_REGISTERED' });
    expect(server.requests.some((m) => m.startsWith('author_'))).toBe(false);
  });

  it('submits once the checks pass (the replay node then refuses the submission)', async () => {
    const { subtensor, server } = await node({ commitReveal: false, lastUpdateAgo: 500 });
    await expect(
      subtensor.setWeights({
        netuid: 1,
        uids: [1, 2],
        weights: [1, 3],
        versionKey: 0,
        signer: alice,
      }),
    ).rejects.toMatchObject({ code: 'CHAIN_REQUEST', details: expect.stringMatching(/1010/) });
    // The replay node has no author_* methods, so the submission itself is what it refuses:
    // decode what reached it.
    const submitted = server.received.find((call) => call.method.startsWith('author_submit'));
    expect(submitted).toBeDefined();
    const extrinsic = subtensor.api.registry.createType('Extrinsic', submitted!.params[0]);
    expect(extrinsic.method.method).toBe('setWeights');
    expect(extrinsic.method.args.map((arg) => arg.toJSON())).toEqual([
      1,
      [1, 2],
      [21845, 65535],
      0,
    ]);
    expect(extrinsic.signer.toString()).toBe(alice.address);
    expect(extrinsic.nonce.toNumber()).toBe(3);
  });

  it('skips serve_axon when the chain already holds the same axon', async () => {
    const { subtensor, server } = await node({ commitReveal: false, lastUpdateAgo: 500 });
    await expect(
      subtensor.serveAxon({
        netuid: 1,
        ip: '192.222.59.109',
        port: 6028,
        version: 7,
        signer: alice,
      }),
    ).resolves.toEqual({ submitted: false });
    await expect(
      subtensor.serveAxon({
        netuid: 1,
        ip: '192.222.59.109',
        port: 6029,
        version: 7,
        signer: alice,
      }),
    ).rejects.toBeInstanceOf(ChainRequestError);
    const submitted = server.received
      .filter((call) => call.method.startsWith('author_submit'))
      .at(-1);
    const extrinsic = subtensor.api.registry.createType('Extrinsic', submitted!.params[0]);
    expect(extrinsic.method.method).toBe('serveAxon');
    expect(extrinsic.method.args.map((arg) => arg.toString())).toEqual([
      '1',
      '7',
      '3235789677',
      '6029',
      '4',
      '4',
      '0',
      '0',
    ]);
  });

  it('names a failed dispatch by its pallet error', () => {
    const { registry } = reference.api;
    const pallet = reference.api.runtimeMetadata.asV15.pallets.find(
      (p) => p.name.toString() === 'SubtensorModule',
    )!;
    const errors = registry.lookup.getSiType(pallet.errors.unwrap().type).def.asVariant.variants;
    const tooFast = errors.find((v) => v.name.toString() === 'SettingWeightsTooFast')!;
    const error = registry.createType<DispatchError>('DispatchError', {
      Module: { index: pallet.index.toNumber(), error: [tooFast.index.toNumber(), 0, 0, 0] },
    });
    expect(dispatchErrorName(registry, error)).toBe('SettingWeightsTooFast');
    expect(
      dispatchErrorName(
        registry,
        registry.createType<DispatchError>('DispatchError', { BadOrigin: null }),
      ),
    ).toBe('BadOrigin');
  });
});

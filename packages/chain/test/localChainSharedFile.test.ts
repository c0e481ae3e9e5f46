import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { FileStateStore } from '../src/local/FileStateStore';
import { LocalChain } from '../src/local/LocalChain';

jest.setTimeout(120_000);

const run = promisify(execFile);

describe('LocalChain sharing one state file', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'signal-localchain-shared-'));
    file = path.join(dir, 'chain.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("sees the other chain's writes and loses none of its own", async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const validator = keyring.addFromUri('//SharedValidator');
    const miner = keyring.addFromUri('//SharedMiner');
    // As a validator process and a miner process would, each with its own LocalChain.
    const a = await LocalChain.open({ file, blockTimeMs: 0 });
    const b = await LocalChain.open({ file, blockTimeMs: 0 });
    await a.createSubnet(1, { tempo: 100, weightsRateLimit: 0 });
    await a.register({
      netuid: 1,
      hotkey: validator.address,
      coldkey: validator.address,
      stake: 10n ** 12n,
    });
    expect(await b.register({ netuid: 1, hotkey: miner.address, coldkey: miner.address })).toBe(1);
    await b.serveAxon({ netuid: 1, ip: '127.0.0.1', port: 8091, version: 1, signer: miner });
    await a.advance(2);
    await a.setWeights({ netuid: 1, uids: [1], weights: [1], versionKey: 0n, signer: validator });

    const seenByA = await a.metagraph(1);
    const seenByB = await b.metagraph(1);
    expect(seenByB).toEqual(seenByA);
    expect(seenByA.block).toBe(2);
    expect(seenByA.neurons[1]!.axon.port).toBe(8091);
    const state = await b.snapshot();
    expect(state.subnets[0]!.neurons[0]!.weights).toEqual([[1, 65535]]);
    await a.close();
    await b.close();
  });

  it('lets a read-only chain follow the writes of another', async () => {
    const writer = await LocalChain.open({ file, blockTimeMs: 0 });
    await writer.createSubnet(1);
    const reader = await LocalChain.open({ file, readOnly: true });
    expect((await reader.metagraph(1)).n).toBe(0);
    await writer.register({ netuid: 1, hotkey: 'late', coldkey: 'late' });
    await writer.advance(3);
    expect(await reader.currentBlock()).toBe(3);
    expect((await reader.metagraph(1)).neurons.map((n) => n.hotkey)).toEqual(['late']);
    await reader.close();
    await writer.close();
  });

  it('keeps every concurrent registration from two chains and two other processes', async () => {
    const a = await LocalChain.open({ file, blockTimeMs: 0 });
    const b = await LocalChain.open({ file, blockTimeMs: 0 });
    await a.createSubnet(1);
    const child = (prefix: string) =>
      run(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(__dirname, 'support', 'registerHotkeys.ts'),
          file,
          ...Array.from({ length: 8 }, (_, i) => `${prefix}${i}`),
        ],
        { cwd: path.join(__dirname, '..') },
      );
    const hotkeys = (prefix: string) => Array.from({ length: 8 }, (_, i) => `${prefix}${i}`);
    await Promise.all([
      child('p'),
      child('q'),
      ...[...hotkeys('a')].map((hotkey) => a.register({ netuid: 1, hotkey, coldkey: hotkey })),
      ...[...hotkeys('b')].map((hotkey) => b.register({ netuid: 1, hotkey, coldkey: hotkey })),
    ]);
    const { neurons } = await a.metagraph(1);
    expect(neurons).toHaveLength(32);
    expect(new Set(neurons.map((n) => n.hotkey))).toEqual(
      new Set([...hotkeys('p'), ...hotkeys('q'), ...hotkeys('a'), ...hotkeys('b')]),
    );
    expect(neurons.map((n) => n.uid)).toEqual(Array.from({ length: 32 }, (_, uid) => uid));
    await a.close();
    await b.close();
  });

  it('close waits for a block the timer is producing: nothing is written after it resolves', async () => {
    const chain = await LocalChain.open({ file, blockTimeMs: 10 });
    // Hold the timer's tick inside its first read, before it has asked the store to update:
    // the one moment a tick is in no store queue that close could wait on.
    const read = FileStateStore.prototype.read;
    let entered!: () => void;
    const reading = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let proceed!: () => void;
    const held = new Promise<void>((resolve) => {
      proceed = resolve;
    });
    const spy = jest.spyOn(FileStateStore.prototype, 'read').mockImplementationOnce(async function (
      this: FileStateStore,
    ) {
      entered();
      await held;
      return read.call(this);
    });
    try {
      await reading;
      let closed = false;
      const closing = chain.close().then(() => {
        closed = true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(closed).toBe(false);
      proceed();
      await closing;
    } finally {
      spy.mockRestore();
    }
    const after = await LocalChain.open({ file, readOnly: true });
    expect((await after.snapshot()).block).toBe(1);
    await after.close();
  });

  it('produces one block per period between all the timers sharing the file', async () => {
    const blockTimeMs = 40;
    const chains = await Promise.all([0, 1, 2].map(() => LocalChain.open({ file, blockTimeMs })));
    const start = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20 * blockTimeMs));
    const blocks = await chains[0]!.currentBlock();
    const elapsed = Date.now() - start;
    await Promise.all(chains.map((chain) => chain.close()));
    expect(blocks).toBeGreaterThanOrEqual(2);
    // Three unsynchronised timers would make about three times this many.
    expect(blocks).toBeLessThanOrEqual(Math.ceil(elapsed / (0.9 * blockTimeMs)) + 1);
  });
});

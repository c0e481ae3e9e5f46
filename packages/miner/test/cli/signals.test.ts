import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createWallet, LocalChain } from '@signal/chain';
import { DEFAULT_SUPPORTING_MODEL } from '@signal/core';
import { buildModel } from '@signal/runtime';
import { stringify } from 'yaml';

const REPO = resolve(__dirname, '../../../..');
const CLI = join(REPO, 'packages', 'miner', 'src', 'cli.ts');
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-miner-signals-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('signal-miner process', () => {
  // Generous: the CLI is compiled from source at start, which a saturated machine makes slow.
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'serves, then on %s drains and exits 0',
    async (signal) => {
      const { wallet } = await createWallet({
        root: join(root, signal, 'wallets'),
        name: 'm',
        hotkey: 'h',
      });
      const chainFile = join(root, signal, 'chain.json');
      const chain = await LocalChain.open({ file: chainFile, blockTimeMs: 0 });
      await chain.createSubnet(4);
      await chain.register({
        netuid: 4,
        hotkey: wallet.hotkey.address,
        coldkey: wallet.coldkeyAddress,
      });
      await chain.close();
      const config = join(root, signal, 'miner.yaml');
      // The miner reads the model directory at start; no request opens a session.
      await buildModel({
        arch: 'llama',
        size: 'tiny',
        seed: 1,
        outDir: join(root, signal, 'tiny'),
      });
      await writeFile(
        config,
        stringify({
          models: { [DEFAULT_SUPPORTING_MODEL]: { base_model_dir: 'tiny' } },
          tiers: { research: { method: 'knorm', ratio: 0.5 } },
        }),
      );
      // tsx as a loader in the miner's own process, not the tsx wrapper: the wrapper relays a
      // signal, waits 30 ms to hear the child handled it, and otherwise exits 128 + signal
      // (130 for SIGINT) itself, which a loaded machine makes it do.
      const args = [
        '--import',
        'tsx',
        CLI,
        '--netuid',
        '4',
        '--axon.port',
        '0',
        '--metrics.port',
        '0',
      ];
      const child = spawn(process.execPath, args, {
        cwd: REPO,
        env: {
          ...process.env,
          SIGNAL_MINER_CONFIG: config,
          SIGNAL_MINER_NETWORK: `local:${chainFile}`,
          SIGNAL_MINER_WALLET_PATH: join(root, signal, 'wallets'),
          SIGNAL_MINER_WALLET_NAME: 'm',
          SIGNAL_MINER_WALLET_HOTKEY: 'h',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      const exited = new Promise<number | null>((done) =>
        child.once('exit', (code, killedBy) => {
          stderr += `\n(exit code ${code}, signal ${killedBy})`;
          done(code);
        }),
      );
      await new Promise<void>((ready, fail) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (stderr.includes('"msg":"miner serving"')) ready();
        });
        void exited.then(() => fail(new Error(`signal-miner exited early:\n${stderr}`)));
      });
      child.kill(signal);
      expect(await exited).toBe(0);
      expect(stderr).toContain('"msg":"miner stopped"');
    },
    180_000,
  );
});

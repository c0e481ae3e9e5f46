import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { createWallet, LocalChain } from '@signal/chain';
import { DEFAULT_SUPPORTING_MODEL, Dendrite, Metadata, sr25519Ready } from '@signal/core';
import { MinerConfigError, type RunningMiner, runMinerCli } from '@signal/miner';
import { buildModel } from '@signal/runtime';
import { stringify } from 'yaml';

const NETUID = 3;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-miner-cli-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Collects pino's JSON lines. */
function logSink(): { lines: Array<Record<string, unknown>>; write(chunk: string): void } {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, write: (chunk) => lines.push(JSON.parse(chunk)) };
}

describe('runMinerCli', () => {
  it('serves from a wallet, a LocalChain file and a config file until aborted', async () => {
    await sr25519Ready();
    const model = await buildModel({
      arch: 'llama',
      size: 'tiny',
      seed: 1,
      outDir: join(root, 'model'),
    });
    const { wallet } = await createWallet({
      root: join(root, 'wallets'),
      name: 'miner',
      hotkey: 'hot',
    });
    const validator = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
    const chainFile = join(root, 'chain.json');
    const seed = await LocalChain.open({ file: chainFile, blockTimeMs: 0 });
    await seed.createSubnet(NETUID);
    await seed.register({
      netuid: NETUID,
      hotkey: validator.address,
      coldkey: validator.address,
      stake: 10n ** 12n,
    });
    await seed.register({
      netuid: NETUID,
      hotkey: wallet.hotkey.address,
      coldkey: wallet.coldkeyAddress,
    });
    await seed.close();
    const configFile = join(root, 'miner.yaml');
    await writeFile(
      configFile,
      stringify({
        models: { [DEFAULT_SUPPORTING_MODEL]: { base_model_dir: 'model' } },
        tiers: { research: { method: 'knorm', ratio: 0.5 } },
        netuid: NETUID,
        wallet: { name: 'miner', hotkey: 'hot' },
      }),
    );

    const stop = new AbortController();
    const logs = logSink();
    let started: RunningMiner | undefined;
    const running = runMinerCli(['--miner.config', configFile, '--axon.port', '0'], {
      env: {
        SIGNAL_MINER_NETWORK: `local:${chainFile}`,
        SIGNAL_MINER_WALLET_PATH: join(root, 'wallets'),
        SIGNAL_MINER_METRICS_PORT: '0',
        SIGNAL_MINER_DEBUG: 'true',
      },
      signal: stop.signal,
      logDestination: logs,
      onStarted: (miner) => {
        started = miner;
      },
    });
    await waitFor(() => started !== undefined, running);
    const miner = started!;
    expect(model.dir).toBe(join(root, 'model'));
    const dendrite = new Dendrite({ signer: validator });
    try {
      const metadata = await dendrite.call(
        { ip: '127.0.0.1', port: miner.port, hotkey: miner.hotkey },
        Metadata,
        Metadata.schema.parse({}),
      );
      expect(metadata.ok).toBe(true);
      expect(metadata.synapse).toMatchObject({
        tier: 'research',
        models: [DEFAULT_SUPPORTING_MODEL],
        methods: ['knorm'],
      });
    } finally {
      await dendrite.close();
    }
    stop.abort();
    await running;
    expect(
      logs.lines.some((line) => line.msg === 'miner serving' && line.served === 'submitted'),
    ).toBe(true);
    expect(logs.lines.at(-1)?.msg).toBe('miner stopped');
    const after = await LocalChain.open({ file: chainFile, readOnly: true });
    const neuron = (await after.metagraph(NETUID)).neurons.find((n) => n.hotkey === miner.hotkey);
    expect(neuron?.axon.port).toBe(miner.port);
    await after.close();
  });

  it('refuses a missing config file with a typed error', async () => {
    const stop = new AbortController();
    await expect(
      runMinerCli(['--miner.config', join(root, 'absent.yaml'), '--netuid', '1'], {
        env: {},
        signal: stop.signal,
      }),
    ).rejects.toBeInstanceOf(MinerConfigError);
  });
});

/** Polls `ready` until true, failing early if `running` settles first. */
async function waitFor(ready: () => boolean, running: Promise<void>): Promise<void> {
  let settled: unknown;
  running.then(
    () => {
      settled = new Error('runMinerCli returned before serving');
    },
    (error: unknown) => {
      settled = error;
    },
  );
  while (!ready()) {
    if (settled) throw settled;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

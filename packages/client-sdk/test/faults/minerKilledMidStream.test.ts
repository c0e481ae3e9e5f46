import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createWallet, LocalChain } from '@signal/chain';
import { ClientError, SignalClient } from '@signal/client';
import { DEFAULT_SUPPORTING_MODEL } from '@signal/core';
import { buildModel } from '@signal/runtime';

/*
 * Fault: a miner process is SIGKILLed in the middle of a streamed Inference. Two real
 * `signal-miner` processes serve the subnet from a LocalChain file. The client's stream from
 * the first breaks off with a typed CLIENT_STREAM_INTERRUPTED (never a hang), and the next
 * call fails over from the dead miner to the live one and completes.
 */
const REPO = resolve(__dirname, '../../../..');
const MINER_CLI = join(REPO, 'packages', 'miner', 'src', 'cli.ts');
const NETUID = 7;
const MAX_NEW_TOKENS = 1_900;

interface MinerProcess {
  readonly child: ChildProcess;
  readonly hotkey: string;
  readonly exited: Promise<NodeJS.Signals | null>;
}

let root: string;
let chainFile: string;
let chain: LocalChain;
let client: SignalClient;
const miners: MinerProcess[] = [];

async function startMinerProcess(
  name: string,
  modelDir: string,
  allow: string,
): Promise<MinerProcess> {
  const wallets = join(root, 'wallets');
  const { wallet } = await createWallet({ root: wallets, name, hotkey: 'h' });
  await chain.register({
    netuid: NETUID,
    hotkey: wallet.hotkey.address,
    coldkey: wallet.coldkeyAddress,
  });
  const config = join(root, `${name}.yaml`);
  await writeFile(
    config,
    // YAML is a superset of JSON.
    JSON.stringify({
      models: { [DEFAULT_SUPPORTING_MODEL]: { base_model_dir: modelDir } },
      tiers: { research: { method: 'knorm', ratio: 0.5 } },
      limits: { allowlist: [allow], max_new_tokens: MAX_NEW_TOKENS },
    }),
  );
  // node itself (not the tsx wrapper), so SIGKILL reaches the miner and not a parent process.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      MINER_CLI,
      '--netuid',
      String(NETUID),
      '--axon.port',
      '0',
      '--metrics.port',
      '0',
    ],
    {
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: join(REPO, 'tsconfig.sources.json'),
        SIGNAL_MINER_CONFIG: config,
        SIGNAL_MINER_NETWORK: `local:${chainFile}`,
        SIGNAL_MINER_WALLET_PATH: wallets,
        SIGNAL_MINER_WALLET_NAME: name,
        SIGNAL_MINER_WALLET_HOTKEY: 'h',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  const exited = new Promise<NodeJS.Signals | null>((done) =>
    child.once('exit', (_code, signal) => done(signal)),
  );
  await new Promise<void>((ready, fail) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('"msg":"miner serving"')) ready();
    });
    void exited.then(() => fail(new Error(`signal-miner ${name} exited early:\n${stderr}`)));
  });
  const started = { child, hotkey: wallet.hotkey.address, exited };
  miners.push(started);
  return started;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-fault-miner-kill-'));
  chainFile = join(root, 'chain.json');
  chain = await LocalChain.open({ file: chainFile, blockTimeMs: 0 });
  await chain.createSubnet(NETUID);
  const model = await buildModel({
    arch: 'llama',
    size: 'tiny',
    seed: 11,
    outDir: join(root, 'model'),
  });
  const { wallet: app } = await createWallet({
    root: join(root, 'wallets'),
    name: 'app',
    hotkey: 'h',
  });
  // Registered first, so the client asks it first (equal incentive: the lower uid wins).
  await startMinerProcess('first', model.dir, app.hotkey.address);
  await startMinerProcess('second', model.dir, app.hotkey.address);
  client = new SignalClient({
    direct: { signer: app.hotkey, chain, netuid: NETUID, hedge: 1 },
    timeoutMs: 120_000,
    retry: { retries: 3, baseDelayMs: 10, maxDelayMs: 50 },
  });
}, 180_000);

afterAll(async () => {
  await client?.close();
  for (const miner of miners) {
    if (miner.child.exitCode === null && miner.child.signalCode === null)
      miner.child.kill('SIGKILL');
    await miner.exited;
  }
  await chain?.close();
  await rm(root, { recursive: true, force: true });
});

describe('fault: a miner SIGKILLed in the middle of a streamed Inference', () => {
  it('breaks the stream with CLIENT_STREAM_INTERRUPTED, and the next call fails over to a live miner', async () => {
    const [first, second] = miners as [MinerProcess, MinerProcess];
    let received = '';
    let failure: unknown;
    try {
      for await (const delta of client.streamInference({
        model: DEFAULT_SUPPORTING_MODEL,
        prompt: 'The lighthouse keeper counted ships at dawn and',
        maxNewTokens: MAX_NEW_TOKENS,
      })) {
        if (received === '') first.child.kill('SIGKILL');
        received += delta;
      }
    } catch (error) {
      failure = error;
    }
    expect(await first.exited).toBe('SIGKILL');
    expect(received.length).toBeGreaterThan(0);
    expect(failure).toBeInstanceOf(ClientError);
    expect(failure).toMatchObject({
      code: 'CLIENT_STREAM_INTERRUPTED',
      retryable: true,
      status: 503,
      details: expect.stringContaining(`${received.length} characters had arrived`),
    });

    // The dead miner refuses connections: the call moves on to the second one and completes.
    let completion = '';
    for await (const delta of client.streamInference({
      model: DEFAULT_SUPPORTING_MODEL,
      prompt: 'The lighthouse keeper counted ships at dawn and',
      maxNewTokens: 8,
    })) {
      completion += delta;
    }
    expect(completion.length).toBeGreaterThan(0);
    expect(second.child.exitCode).toBeNull();
  }, 180_000);

  it('a stream whose every miner is dead ends with a typed error within its timeout', async () => {
    for (const miner of miners) {
      if (miner.child.signalCode === null) miner.child.kill('SIGKILL');
      await miner.exited;
    }
    const stream = client.streamInference(
      { model: DEFAULT_SUPPORTING_MODEL, prompt: 'x', maxNewTokens: 4 },
      { timeoutMs: 20_000 },
    );
    await expect(stream.next()).rejects.toMatchObject({
      code: 'CLIENT_UNAVAILABLE',
      retryable: true,
    });
  }, 60_000);
});

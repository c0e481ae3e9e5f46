import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createWallet, LocalChain } from '@signal/chain';
import {
  emptyScoreState,
  loadScoreState,
  previousCopyPath,
  recordScoredResponse,
  type ScoreState,
  saveScoreState,
} from '@signal/validator';

/*
 * Fault: the validator's score state is damaged on disk (truncated by a full disk or a bad
 * copy, overwritten with garbage). The real `signal-validator` process starts anyway: from
 * the last good copy with a warning, or from zero with an error naming the file; the damaged
 * bytes are moved aside, so the next start is a clean one and never a crash loop.
 */
const REPO = resolve(__dirname, '../../../..');
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
const CLI = join(REPO, 'packages', 'validator', 'src', 'cli.ts');
const NETUID = 5;

let root: string;
let walletRoot: string;
let chainFile: string;
/** The one registered neuron: the state's miner must be in the metagraph to survive a sync. */
let hotkey: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-fault-state-'));
  walletRoot = join(root, 'wallets');
  const { wallet } = await createWallet({ root: walletRoot, name: 'v', hotkey: 'h' });
  hotkey = wallet.hotkey.address;
  chainFile = join(root, 'chain.json');
  const chain = await LocalChain.open({ file: chainFile, blockTimeMs: 0 });
  await chain.createSubnet(NETUID);
  await chain.register({
    netuid: NETUID,
    hotkey: wallet.hotkey.address,
    coldkey: wallet.coldkeyAddress,
    stake: 10n ** 12n,
  });
  await chain.close();
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface LogLine {
  level: number;
  msg: string;
  file?: string;
  startedFrom?: string;
  damaged?: { file: string; movedTo: string; problem: string }[];
}

/** Runs signal-validator on `stateFile` until it logs "validator started", then SIGTERMs it. */
async function runValidatorOnce(
  stateFile: string,
): Promise<{ exitCode: number | null; logs: LogLine[] }> {
  const config = join(root, `validator-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(
    config,
    ['models:', '  tiny: ./no-model-needed-without-miners', `state_file: ${stateFile}`, ''].join(
      '\n',
    ),
  );
  const child = spawn(
    TSX,
    [CLI, '--validator.config', config, '--subtensor.network', `local:${chainFile}`],
    {
      env: {
        ...process.env,
        SIGNAL_VALIDATOR_NETUID: String(NETUID),
        SIGNAL_VALIDATOR_WALLET_PATH: walletRoot,
        SIGNAL_VALIDATOR_WALLET_NAME: 'v',
        SIGNAL_VALIDATOR_WALLET_HOTKEY: 'h',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  await new Promise<void>((started, fail) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('"msg":"validator started"')) started();
    });
    void exited.then((code) =>
      fail(new Error(`signal-validator exited (${code}) before it started:\n${stderr}`)),
    );
  });
  child.kill('SIGTERM');
  const exitCode = await exited;
  const logs = stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
  return { exitCode, logs };
}

function stateWith(observations: number): ScoreState {
  let state = emptyScoreState();
  for (let round = 0; round < observations; round++) {
    state = recordScoredResponse(
      state,
      { uid: 0, hotkey, tier: 'research', score: 0.5, latencyMs: 10 },
      { now: 1_000 + round },
    );
  }
  return state;
}

async function freshDir(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

const stateLogs = (logs: LogLine[]) => logs.filter((line) => line.msg.startsWith('score state'));

describe('fault: a damaged validator state file', () => {
  it('a truncated state file: the validator starts from the last good copy with a warning', async () => {
    const dir = await freshDir('truncated');
    const stateFile = join(dir, 'scores.json');
    await saveScoreState(stateFile, stateWith(2));
    await saveScoreState(stateFile, stateWith(3));
    const full = (await readFile(stateFile)).byteLength;
    await truncate(stateFile, Math.floor(full / 2));

    const { exitCode, logs } = await runValidatorOnce(stateFile);

    expect(exitCode).toBe(0);
    const [warning, ...others] = stateLogs(logs);
    expect(others).toEqual([]);
    expect(warning).toMatchObject({
      level: 40,
      file: stateFile,
      startedFrom: previousCopyPath(stateFile),
    });
    expect(warning!.msg).toContain(stateFile);
    expect(warning!.damaged).toHaveLength(1);
    expect(warning!.damaged![0]!.problem).toMatch(/not valid JSON/);
    // The damaged bytes are kept aside, and the state saved at shutdown is the good copy's.
    expect((await readFile(warning!.damaged![0]!.movedTo)).byteLength).toBe(Math.floor(full / 2));
    expect((await loadScoreState(stateFile)).miners[0]!.observations).toBe(2);
  }, 120_000);

  it('a corrupted state file and copy: it starts from zero with an error naming the file, and the next start is clean', async () => {
    const dir = await freshDir('garbage');
    const stateFile = join(dir, 'scores.json');
    await saveScoreState(stateFile, stateWith(2));
    await saveScoreState(stateFile, stateWith(3));
    await writeFile(stateFile, '{"schemaVersion":1,"miners":[{"uid":"one"}]}\n');
    await writeFile(previousCopyPath(stateFile), Buffer.from([0xff, 0x00, 0x7b, 0x22]));

    const first = await runValidatorOnce(stateFile);

    expect(first.exitCode).toBe(0);
    const [error, ...others] = stateLogs(first.logs);
    expect(others).toEqual([]);
    expect(error).toMatchObject({ level: 50, file: stateFile });
    expect(error!.msg).toContain(stateFile);
    expect(error!.damaged!.map((entry) => entry.file)).toEqual([
      stateFile,
      previousCopyPath(stateFile),
    ]);
    expect(error!.damaged![0]!.problem).toMatch(/does not match its schema/);
    expect((await loadScoreState(stateFile)).miners).toEqual([]);
    const aside = (await readdir(dir)).filter((name) => name.includes('.damaged-'));
    expect(aside).toHaveLength(2);

    const second = await runValidatorOnce(stateFile);
    expect(second.exitCode).toBe(0);
    expect(stateLogs(second.logs)).toEqual([]);
  }, 120_000);
});

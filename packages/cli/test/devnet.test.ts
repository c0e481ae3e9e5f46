import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstBlockOfEpoch } from '@signal/chain';
import { createProgram } from '@signal/cli';
import { DevnetReportSchema } from '../src/devnet/DevnetReport';

/*
 * The devnet runs as the real `signal` binary (built by the test pipeline before jest), so
 * the test sees exactly what a user sees: one JSON object on stdout, progress on stderr,
 * the exit code, and whether the process is gone after Ctrl-C.
 */
const BIN = join(__dirname, '..', 'dist', 'bin.js');

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: readonly string[]): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [BIN, 'devnet', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<Finished>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

let dataDir: string;
const running: ChildProcess[] = [];

beforeAll(async () => {
  expect(existsSync(BIN)).toBe(true);
  dataDir = await mkdtemp(join(tmpdir(), 'signal-devnet-'));
});

afterAll(async () => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('signal devnet', () => {
  it('runs a subnet for one epoch and reports weights, incentive and the client example as JSON', async () => {
    const { child, done } = start([
      '--json',
      '--epochs',
      '1',
      '--tasks',
      '2',
      '--seed',
      '3',
      '--data-dir',
      dataDir,
    ]);
    running.push(child);
    const finished = await done;
    expect(finished.code).toBe(0);
    const lines = finished.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = DevnetReportSchema.parse(JSON.parse(lines[0]!));
    expect(report.epochs).toBe(1);
    expect(report.miners).toHaveLength(5);

    // Every devnet miner sits in the one incentivised tier, so its weights sum to 1.
    const total = report.miners.reduce((sum, m) => sum + m.weight, 0);
    expect(total).toBeCloseTo(1, 6);
    const poor = report.miners.find((m) => m.poor)!;
    const honest = report.miners.filter((m) => !m.poor);
    expect(poor.method).toBe('random');
    expect(poor.weight).toBeLessThan(Math.max(...honest.map((m) => m.weight)));
    // The chain's consensus paid incentive after the epoch.
    expect(report.miners.reduce((sum, m) => sum + m.incentive, 0)).toBeGreaterThan(0.99);
    expect(new Set(report.miners.map((m) => m.uid)).size).toBe(5);
    // Recall tasks only: fidelity (a continuation measure) is reported as unknown.
    expect(report.miners.every((m) => m.fidelity === null)).toBe(true);

    expect(report.client.condensed_tokens).toBeLessThan(report.client.original_tokens);
    expect(report.client.question.length).toBeGreaterThan(0);
    expect(typeof report.client.answer).toBe('string');

    // Commit-reveal is on by default: the weights were committed timelocked, and they showed
    // on chain only when the chain revealed them, three blocks into the reveal epoch.
    expect(report.commit_reveal.enabled).toBe(true);
    expect(report.commit_reveal.commits).toHaveLength(1);
    const [commit] = report.commit_reveal.commits;
    expect(commit).toMatchObject({
      epoch: 1,
      outcome: 'revealed',
      reveal_epoch: commit!.chain_epoch + 1,
    });
    expect(commit!.weights_from_block).toBe(commit!.settled_block);
    expect(commit!.settled_block!).toBe(firstBlockOfEpoch(1, 10, commit!.reveal_epoch) + 3);
    expect(commit!.settled_block!).toBeGreaterThan(commit!.commit_block);
    expect(finished.stderr).toMatch(/weights committed at block \d+, timelocked to round \d+/);

    expect(finished.stderr).toContain('epoch 1/1');
    expect(finished.stderr).toContain('stopped');
  }, 180_000);

  it('shuts everything down on Ctrl-C in the middle of a run and exits', async () => {
    const { child, done } = start([
      '--json',
      '--miners',
      '1',
      '--tasks',
      '64',
      '--data-dir',
      dataDir,
    ]);
    running.push(child);
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr!.on('data', (chunk) => {
        stderr += chunk;
        if (stderr.includes('querying')) resolve();
      });
    });
    child.kill('SIGINT');
    const started = Date.now();
    const finished = await done;
    expect(finished.code).toBe(130);
    expect(finished.stdout).toBe('');
    expect(finished.stderr).toContain('SIGINT: shutting down');
    expect(finished.stderr).toContain('stopped');
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 180_000);

  it('refuses bad flags before starting anything', async () => {
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const failure = await createProgram()
        .parseAsync(['node', 'signal', 'devnet', '--miners', '0', '--data-dir', dataDir])
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(String(failure)).toContain('--miners');
      const epochs = await createProgram()
        .parseAsync(['node', 'signal', 'devnet', '--epoch.length', 'soon'])
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(String(epochs)).toContain('--epoch.length');
    } finally {
      jest.restoreAllMocks();
    }
  });
});

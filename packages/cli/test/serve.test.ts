import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgram } from '@signal/cli';
import { buildModel } from '@signal/runtime';
import { type FakeHub, filesOf, startFakeHub } from '../../runtime/test/hub/fakeHub';

/* `signal serve --model hf:org/name@rev` as a user runs it: a real process, a loopback Hub. */
const BIN = join(__dirname, '..', 'dist', 'bin.js');
const REPO = 'signal-test/tiny';
let root: string;
let hub: FakeHub;
let child: ChildProcess | undefined;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-serve-'));
  const built = await buildModel({ arch: 'llama', size: 'tiny', seed: 6, outDir: join(root, 'm') });
  hub = await startFakeHub([{ id: REPO, files: await filesOf(built.dir) }]);
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});

/** Starts `signal serve` and resolves with its URL once it listens. */
function startServe(args: readonly string[]): Promise<string> {
  const started = spawn(process.execPath, [BIN, 'serve', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HF_ENDPOINT: hub.endpoint, HF_HUB_CACHE: join(root, 'cache') },
  });
  child = started;
  let stderr = '';
  return new Promise((resolve, reject) => {
    started.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const match = stderr.match(/listening on (\S+)\/v1\n/);
      if (match) resolve(match[1]!);
    });
    started.once('close', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
}

const helpOf = (name: string) =>
  createProgram()
    .commands.find((command) => command.name() === name)!
    .helpInformation();

describe('signal serve and signal proxy flags', () => {
  it('serves an hf: model under its repo id, with the model host the --runtime.* flags ask for', async () => {
    const url = await startServe([
      '--model',
      `hf:${REPO}@main`,
      '--port',
      '0',
      '--runtime.threads',
      '2',
      '--runtime.workers',
      '2',
      '--runtime.queue_size',
      '5',
    ]);
    const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual([REPO]);
    const health = (await (await fetch(`${url}/health`)).json()) as Record<string, unknown>;
    expect(health.runtime).toEqual({ workers: 2, intra_op_threads: 1, queue_size: 5 });
    const exited = new Promise((resolve) => child!.once('close', resolve));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('lists the --runtime.* flags for serve and none for proxy, which runs no model', () => {
    expect(helpOf('serve')).toMatch(/--runtime\.workers/);
    expect(helpOf('serve')).toMatch(/--runtime\.queue_size/);
    expect(helpOf('proxy')).not.toMatch(/--runtime\./);
  });

  it('refuses a --runtime.* flag given to proxy instead of ignoring it', async () => {
    const program = createProgram();
    program.commands
      .find((command) => command.name() === 'proxy')!
      .configureOutput({
        writeErr: () => undefined,
      });
    await expect(
      program.parseAsync([
        'node',
        'signal',
        'proxy',
        '--upstream',
        'http://127.0.0.1:9/v1',
        '--runtime.workers',
        '2',
      ]),
    ).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/--runtime\.workers/) });
  });
});

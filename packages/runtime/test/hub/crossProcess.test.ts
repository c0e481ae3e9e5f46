import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { layoutRoot } from '../layouts/layoutFixtures';
import { type FakeHub, filesOf, startFakeHub } from './fakeHub';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
const CHILD = join(__dirname, 'support', 'pullInChild.ts');
const REPO = 'signal-test/tiny-shared';

let fixture: Awaited<ReturnType<typeof layoutRoot>>;
let hub: FakeHub;
let files: Map<string, Buffer>;

beforeAll(async () => {
  fixture = await layoutRoot();
  const built = await fixture.build('shared', { layout: 'onnx-community', externalData: true });
  files = await filesOf(built.dir);
  hub = await startFakeHub([{ id: REPO, files }]);
}, 60_000);
afterAll(async () => {
  await hub?.close();
  await fixture?.cleanup();
});

interface Child {
  process: ChildProcess;
  /** Resolves with the first event of `type` (for `path`, when given). */
  event(type: string, path?: string): Promise<Record<string, unknown>>;
  exit: Promise<number | null>;
}

/** `pullModel` in another node process, its progress events read from its stdout. */
function pullInChild(cacheDir: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, hub.endpoint, cacheDir, REPO], {
    cwd: REPO_ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(REPO_ROOT, 'tsconfig.sources.json') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const events: Record<string, unknown>[] = [];
  const waiters: {
    match: (e: Record<string, unknown>) => boolean;
    done: (e: Record<string, unknown>) => void;
  }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as Record<string, unknown>;
    events.push(event);
    for (const waiter of waiters.filter((w) => w.match(event))) waiter.done(event);
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    process: child,
    exit,
    event: (type, path) =>
      new Promise((done, fail) => {
        const match = (e: Record<string, unknown>) =>
          e.type === type && (path === undefined || e.path === path);
        const seen = events.find(match);
        if (seen) return done(seen);
        waiters.push({ match, done });
        void exit.then((code) => fail(new Error(`child exited (${code}) before ${type} ${path}`)));
      }),
  };
}

describe('two processes pulling into one cache', () => {
  it('download a shared blob once: the second waits on its lock, then finds it in place', async () => {
    const cacheDir = join(fixture.root, 'cache');
    await mkdir(cacheDir, { recursive: true });
    const data = files.get('onnx/model.onnx_data')!;
    const sha = createHash('sha256').update(data).digest('hex');
    const held = hub.hold('onnx/model.onnx_data', 64 * 1024);

    const first = pullInChild(cacheDir);
    await held.reached;
    const second = pullInChild(cacheDir);
    // The second process lists the repo, then waits on the blob the first is writing.
    await second.event('waiting', 'onnx/model.onnx_data');
    held.release();
    const [a, b] = await Promise.all([first.event('pulled'), second.event('pulled')]);
    expect(await first.exit).toBe(0);
    expect(await second.exit).toBe(0);

    expect(a.dir).toBe(b.dir);
    expect(await readFile(join(a.dir as string, 'onnx', 'model.onnx_data'))).toEqual(data);
    // One request for the blob, from the first process, and none resumed by the second.
    expect(hub.requests.filter((r) => r.path === `/cdn/${sha}`)).toHaveLength(1);
    expect(b.downloadedBytes).toBeLessThan(data.length);
    // No partial file and no lock is left behind.
    const folder = join(cacheDir, `models--${REPO.replace('/', '--')}`);
    expect((await readdir(join(folder, 'blobs'))).filter((f) => f.endsWith('.incomplete'))).toEqual(
      [],
    );
    expect(await readdir(join(cacheDir, '.locks', `models--${REPO.replace('/', '--')}`))).toEqual(
      [],
    );
  });
});

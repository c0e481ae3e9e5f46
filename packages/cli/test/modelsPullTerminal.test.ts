import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel } from '@signal/runtime';
import { type FakeHub, filesOf, startFakeHub } from '../../runtime/test/hub/fakeHub';

/**
 * `signal models pull` as the real binary (built by the test pipeline before jest), on a
 * real pseudo-terminal: util-linux `script` runs it with stdout and stderr on a pty, so the
 * command sees a terminal exactly as a person's shell gives it one.
 */
const BIN = join(__dirname, '..', 'dist', 'bin.js');
const REPO = 'signal-test/tiny';
const HELD = 'onnx/model.onnx_data';

let root: string;
let hub: FakeHub;
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-pull-tty-'));
  const built = await buildModel({
    arch: 'llama',
    size: 'tiny',
    seed: 4,
    outDir: join(root, 'source'),
    externalData: true,
  });
  hub = await startFakeHub([{ id: REPO, files: await filesOf(built.dir) }]);
}, 60_000);
afterAll(async () => {
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

interface Run {
  /** Resolves once everything the pty has shown so far satisfies `test`. */
  shown(test: (output: string) => boolean): Promise<string>;
  exited: Promise<{ code: number | null; output: string }>;
}

/** Runs a shell command under `script` on a fresh pty; its output is what the terminal shows. */
function onTerminal(command: string): Run {
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { ...process.env, HF_ENDPOINT: hub.endpoint, HF_HUB_OFFLINE: '' },
    // stdin stays open (script ends the session when its input ends).
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters: { test: (o: string) => boolean; resolve: (o: string) => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if (waiter.test(output)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(output);
      }
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    check();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      child.stdin.end();
      resolve({ code, output });
    });
  });
  return {
    shown: (test) =>
      new Promise<string>((resolve, reject) => {
        waiters.push({ test, resolve });
        check();
        void exited.then(({ output: last }) =>
          reject(new Error(`exited before the terminal showed what was awaited:\n${last}`)),
        );
      }),
    exited,
  };
}

const pull = (cache: string) =>
  `stty cols 120 rows 40; ${quote(process.execPath)} ${quote(BIN)} models pull ${REPO}@main --cache-dir ${quote(cache)}`;
const ESC = '\u001b';
const BYTES = /\d+(?:\.\d)? (?:B|KiB|MiB)\/\d+(?:\.\d)? (?:B|KiB|MiB)/;

describe('signal models pull on a terminal', () => {
  it('draws bars that are redrawn in place, with file names and bytes, and prints no JSON', async () => {
    const cache = join(root, `cache${counter++}`);
    const held = hub.hold(HELD, 1024);
    const run = onTerminal(pull(cache));
    await held.reached;
    // While the weights are held mid-file, the terminal shows their line, partly done.
    const partial = await run.shown(
      (o) => o.includes(HELD) && /onnx\/model\.onnx_data\s+\d+%\|[^|]*\| 1\.0 KiB\//.test(o),
    );
    held.release();
    const { code, output } = await run.exited;
    expect(code).toBe(0);
    expect(partial.length).toBeLessThan(output.length);
    // Redrawn in place: back to column 1 and up over the bars, clearing lines, not a scroll.
    expect(output).toContain(`${ESC}[1G`);
    expect(output).toMatch(new RegExp(`${ESC}\\[\\d+A`));
    expect(output).toContain(`${ESC}[0K`);
    expect(output).toContain(`${REPO}@${hub.commitOf(REPO).slice(0, 8)}`);
    expect(output).toMatch(BYTES);
    // The whole-pull line was drawn more than once with different byte counts.
    const totals = new Set(
      [...output.matchAll(/signal-test\/tiny@[0-9a-f]{8}\s+\d+%\|[^|]*\| ([^ ]+ \w+)\//g)].map(
        (m) => m[1],
      ),
    );
    expect(totals.size).toBeGreaterThan(1);
    expect(output).not.toContain('"type"');
    // The last thing printed is the snapshot directory to load.
    const dir = join(cache, 'models--signal-test--tiny', 'snapshots', hub.commitOf(REPO));
    expect(output.trimEnd().endsWith(dir)).toBe(true);
  }, 60_000);

  it('prints JSON lines that parse when stdout is piped, though stderr is a terminal', async () => {
    const cache = join(root, `cache${counter++}`);
    const { code, output } = await onTerminal(`${pull(cache)} | cat`).exited;
    expect(code).toBe(0);
    expect(output).not.toContain(`${ESC}[`);
    const lines = output
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
    const types = new Set(lines.map((l) => l.type));
    for (const type of ['resolved', 'bytes', 'file', 'done']) expect(types).toContain(type);
    expect(lines.at(-1)).toMatchObject({
      type: 'pulled',
      commit: hub.commitOf(REPO),
      dir: join(cache, 'models--signal-test--tiny', 'snapshots', hub.commitOf(REPO)),
    });
  }, 60_000);
});

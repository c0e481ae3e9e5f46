import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgram } from '@signal/cli';
import { buildModel, CausalLM } from '@signal/runtime';
import { type FakeHub, filesOf, startFakeHub } from '../../runtime/test/hub/fakeHub';
import { writePythonCache } from '../../runtime/test/hub/support/pythonHubCache';
import { captureOutput } from './support/capturedOutput';

let root: string;
let hub: FakeHub;
const endpoint = process.env.HF_ENDPOINT;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-pull-'));
  const built = await buildModel({
    arch: 'llama',
    size: 'tiny',
    seed: 4,
    outDir: join(root, 'source'),
    dtypes: ['fp32', 'q4'],
    externalData: true,
  });
  hub = await startFakeHub([{ id: 'signal-test/tiny', files: await filesOf(built.dir) }]);
  process.env.HF_ENDPOINT = hub.endpoint;
});
afterAll(async () => {
  if (endpoint === undefined) delete process.env.HF_ENDPOINT;
  else process.env.HF_ENDPOINT = endpoint;
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});
const printed = captureOutput();

const run = (...args: string[]) =>
  createProgram().parseAsync(['node', 'signal', 'models', ...args]);

describe('signal models pull', () => {
  it('pulls the variant into the given cache and prints JSON-lines progress when not on a terminal', async () => {
    const cache = join(root, 'cache');
    await run('pull', 'signal-test/tiny@main', '--dtype', 'q4', '--cache-dir', cache);
    const lines = printed
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
    expect(lines[0]).toMatchObject({
      type: 'resolved',
      repo: 'signal-test/tiny',
      revision: 'main',
    });
    expect(lines.some((l) => l.type === 'bytes')).toBe(true);
    const result = lines.at(-1)!;
    expect(result).toMatchObject({
      type: 'pulled',
      commit: hub.commitOf('signal-test/tiny'),
      dir: join(cache, 'models--signal-test--tiny', 'snapshots', hub.commitOf('signal-test/tiny')),
    });
    expect(result.files).toContain('onnx/model_q4.onnx_data');
    expect(result.files).not.toContain('onnx/model.onnx');
    expect((await stat(join(String(result.dir), 'onnx', 'model_q4.onnx'))).size).toBeGreaterThan(0);
    const lm = await CausalLM.load(String(result.dir), { dtype: 'q4' });
    await lm.dispose();
  });

  it('reuses a cache huggingface_hub left, downloading nothing, and asks nothing with HF_HUB_OFFLINE=1', async () => {
    const cache = join(root, 'python-cache');
    const commit = hub.commitOf('signal-test/tiny');
    // What snapshot_download(allow_patterns=["*.json", "onnx/model_q4.onnx*"]) leaves.
    await writePythonCache({
      cacheDir: cache,
      repo: 'signal-test/tiny',
      commit,
      revision: 'main',
      files: hub
        .repoFiles('signal-test/tiny')
        .filter(
          (f) =>
            (!f.path.includes('/') && f.path.endsWith('.json')) ||
            f.path.startsWith('onnx/model_q4.onnx'),
        ),
    });
    const dir = join(cache, 'models--signal-test--tiny', 'snapshots', commit);
    hub.requests.length = 0;
    await run('pull', 'signal-test/tiny@main', '--dtype', 'q4', '--cache-dir', cache);
    const online = printed
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(online.at(-1)).toMatchObject({ type: 'pulled', dir, downloadedBytes: 0 });
    expect(online[0]).toMatchObject({ type: 'resolved', cachedBytes: online[0]!.totalBytes });
    expect(hub.requests.filter((r) => r.path.includes('/resolve/') || r.origin === 'cdn')).toEqual(
      [],
    );

    hub.requests.length = 0;
    process.env.HF_HUB_OFFLINE = '1';
    try {
      await run('pull', 'signal-test/tiny@main', '--dtype', 'q4', '--cache-dir', cache);
    } finally {
      delete process.env.HF_HUB_OFFLINE;
    }
    const offline = printed
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(offline.at(-1)).toMatchObject({ type: 'pulled', dir, downloadedBytes: 0 });
    expect(offline.find((l) => l.type === 'done')).toMatchObject({ offline: true });
    expect(hub.requests).toEqual([]);
  });

  it('fails with the Hub error code for a repository that does not exist', async () => {
    const error = await run('pull', 'signal-test/missing', '--cache-dir', join(root, 'c2')).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'HUB_REPO_NOT_FOUND' });
  });
});

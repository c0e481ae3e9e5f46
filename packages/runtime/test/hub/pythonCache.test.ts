import { lstat, mkdir, readFile, readlink, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { CausalLM, MODEL_METADATA_FILES, pullModel, resolveModelLocation } from '@signal/runtime';
import { layoutRoot, SESSION } from '../layouts/layoutFixtures';
import { type FakeHub, type FakeHubFile, filesOf, startFakeHub } from './fakeHub';
import {
  contentEtags,
  pythonLookup,
  scanPythonCacheRepo,
  treeOf,
  writePythonCache,
} from './support/pythonHubCache';

const REPO = 'signal-test/tiny-community';
let fixture: Awaited<ReturnType<typeof layoutRoot>>;
let hub: FakeHub;
let commit: string;
let counter = 0;

beforeAll(async () => {
  fixture = await layoutRoot();
  process.env.SIGNAL_CACHE = join(fixture.root, 'signal');
  const built = await fixture.build('community', {
    layout: 'onnx-community',
    dtypes: ['fp32', 'q4'],
    externalData: true,
  });
  hub = await startFakeHub([{ id: REPO, files: await filesOf(built.dir) }], { pageSize: 3 });
  commit = hub.commitOf(REPO);
}, 60_000);
afterAll(async () => {
  delete process.env.SIGNAL_CACHE;
  await hub?.close();
  await fixture?.cleanup();
});

async function cacheDir(): Promise<string> {
  hub.requests.length = 0;
  const dir = join(fixture.root, `cache${counter++}`);
  await mkdir(dir, { recursive: true });
  return dir;
}
const settings = (cacheDir: string, offline = false) => ({
  endpoint: hub.endpoint,
  cacheDir,
  offline,
});
const downloads = () =>
  hub.requests.filter((r) => r.path.includes('/resolve/') || r.origin === 'cdn');
const folderOf = (cache: string) => join(cache, 'models--signal-test--tiny-community');

/** What `snapshot_download(repo, allow_patterns=["*.json", "onnx/model_q4.onnx*"])` fetches. */
const q4Files = (): FakeHubFile[] =>
  hub
    .repoFiles(REPO)
    .filter(
      (f) =>
        (!f.path.includes('/') && f.path.endsWith('.json')) ||
        f.path.startsWith('onnx/model_q4.onnx'),
    );
/** Optional files a model load asks for that this repository lacks (each a 404 for Python). */
const lacking = () => {
  const present = new Set(hub.repoFiles(REPO).map((f) => f.path));
  return [...MODEL_METADATA_FILES, 'onnx/embed_tokens.onnx'].filter((p) => !present.has(p));
};
/** Link texts and blob names of a repository folder, to see that nothing was rewritten. */
async function snapshotState(folder: string) {
  const links: Record<string, string> = {};
  for (const path of await treeOf(join(folder, 'snapshots')))
    links[path] = await readlink(join(folder, 'snapshots', path));
  const blobs: Record<string, number> = {};
  for (const name of await treeOf(join(folder, 'blobs')))
    blobs[name] = (await stat(join(folder, 'blobs', name))).mtimeMs;
  return { links, blobs, ref: await readFile(join(folder, 'refs', 'main'), 'utf8') };
}

describe('the huggingface_hub cache, shared with Python', () => {
  it('reuses a cache snapshot_download left: hf: resolution and a pull download nothing, offline asks nothing', async () => {
    const cache = await cacheDir();
    const folder = await writePythonCache({
      cacheDir: cache,
      repo: REPO,
      commit,
      revision: 'main',
      files: q4Files(),
    });
    const before = await snapshotState(folder);

    const dir = await resolveModelLocation(`hf:${REPO}@main`, {
      dtype: 'q4',
      settings: settings(cache),
    });
    expect(dir).toBe(join(folder, 'snapshots', commit));
    // Python recorded no absences, so the tree is listed once more; no file is fetched.
    expect(downloads()).toEqual([]);
    expect(hub.requests.every((r) => r.path.startsWith(`/api/models/${REPO}/`))).toBe(true);
    expect(hub.requests.some((r) => r.path.includes('/tree/'))).toBe(true);
    // Python's links, blobs and ref are kept as they were.
    expect(await snapshotState(folder)).toEqual(before);
    // The absences the listing showed are recorded where Python looks for them.
    for (const path of lacking()) expect(await pythonLookup(cache, REPO, path)).toBe('no-exist');
    const lm = await CausalLM.load(dir, { dtype: 'q4', session: SESSION });
    expect(lm.signature.quantization.op).toBe('MatMulNBits');
    await lm.dispose();

    hub.requests.length = 0;
    const offline = await pullModel(`hf:${REPO}@main`, {
      dtype: 'q4',
      settings: settings(cache, true),
    });
    expect(offline.dir).toBe(dir);
    expect(offline.downloadedBytes).toBe(0);
    expect(hub.requests).toEqual([]);

    // The fp32 variant is not in Python's cache: only its graph and weights are fetched.
    hub.requests.length = 0;
    const fp32 = await pullModel(`hf:${REPO}@main`, { settings: settings(cache) });
    expect(fp32.dir).toBe(dir);
    const fetched = downloads()
      .filter((r) => r.origin === 'hub')
      .map((r) => r.path.split(`/resolve/${commit}/`)[1])
      .sort();
    expect(fetched).toEqual(['onnx/model.onnx', 'onnx/model.onnx_data']);
  });

  it('serves a cache hf_hub_download left, with its .no_exist/ markers, after the revision lookup alone, and pinned to its commit without a request', async () => {
    const cache = await cacheDir();
    await writePythonCache({
      cacheDir: cache,
      repo: REPO,
      commit,
      revision: 'main',
      files: q4Files(),
      missing: lacking(),
    });
    const pulled = await pullModel(`hf:${REPO}@main`, { dtype: 'q4', settings: settings(cache) });
    expect(pulled.dir).toBe(join(folderOf(cache), 'snapshots', commit));
    expect(hub.requests.map((r) => r.path)).toEqual([`/api/models/${REPO}/revision/main`]);

    hub.requests.length = 0;
    const pinned = await resolveModelLocation(`hf:${REPO}@${commit}`, {
      dtype: 'q4',
      settings: settings(cache),
    });
    expect(pinned).toBe(pulled.dir);
    expect(hub.requests).toEqual([]);
  });

  it('writes what huggingface_hub reads: relative links into blobs/ named by etag, refs without a newline, .no_exist/ markers', async () => {
    const cache = await cacheDir();
    const pulled = await pullModel(`hf:${REPO}@main`, { dtype: 'q4', settings: settings(cache) });
    const folder = folderOf(cache);
    const byPath = new Map(hub.repoFiles(REPO).map((f) => [f.path, f]));

    const [revision, ...others] = await scanPythonCacheRepo(folder);
    expect(others).toEqual([]);
    expect(revision).toMatchObject({ commit, refs: ['main'] });
    expect([...revision!.files.keys()].sort()).toEqual([...pulled.files].sort());
    for (const [path, { link, blob }] of revision!.files) {
      const file = byPath.get(path)!;
      const etag = file.lfs ? file.sha256 : file.gitOid;
      const pointer = join(folder, 'snapshots', commit, path);
      expect((await lstat(pointer)).isSymbolicLink()).toBe(true);
      expect(link).toBe(relative(dirname(pointer), join(folder, 'blobs', etag)));
      // The blob's name is what its content hashes to, as the Hub names it.
      const content = await readFile(blob);
      expect(content.equals(file.content)).toBe(true);
      expect(etag).toBe(file.lfs ? contentEtags(content).sha256 : contentEtags(content).gitOid);
      expect(await pythonLookup(cache, REPO, path)).toEqual({ path: pointer });
    }
    expect(await readFile(join(folder, 'refs', 'main'), 'utf8')).toBe(commit);
    for (const path of lacking()) expect(await pythonLookup(cache, REPO, path)).toBe('no-exist');
    // A variant not pulled is not cached: Python would fetch it, not find a stray file.
    expect(await pythonLookup(cache, REPO, 'onnx/model.onnx')).toBe('not-cached');

    // File for file, the folder is the one huggingface_hub leaves for the same downloads.
    const python = await cacheDir();
    const pythonFolder = await writePythonCache({
      cacheDir: python,
      repo: REPO,
      commit,
      revision: 'main',
      files: pulled.files.map((path) => byPath.get(path)!),
      missing: lacking(),
    });
    expect(await treeOf(folder)).toEqual(await treeOf(pythonFolder));
    expect((await snapshotState(folder)).links).toEqual((await snapshotState(pythonFolder)).links);
  });
});

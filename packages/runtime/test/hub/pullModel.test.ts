import { createHash } from 'node:crypto';
import {
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { isSignalError } from '@signal/core';
import { CausalLM, HubCache, type PullProgress, pullModel } from '@signal/runtime';
import { layoutRoot, SESSION } from '../layouts/layoutFixtures';
import { type FakeHub, filesOf, startFakeHub } from './fakeHub';

const TOKEN = 'hf_test_token_for_the_gated_repo';
let fixture: Awaited<ReturnType<typeof layoutRoot>>;
let hub: FakeHub;
let community: Map<string, Buffer>;
let counter = 0;

beforeAll(async () => {
  fixture = await layoutRoot();
  // Rewritten copies of snapshots (genai) go under SIGNAL_CACHE: keep them in the temp root.
  process.env.SIGNAL_CACHE = join(fixture.root, 'signal');
  const built = await fixture.build('community', {
    layout: 'onnx-community',
    dtypes: ['fp32', 'q4'],
    externalData: true,
  });
  const genai = await fixture.build('genai', { layout: 'genai' });
  community = await filesOf(built.dir);
  hub = await startFakeHub(
    [
      { id: 'signal-test/tiny-community', files: community, revisions: ['refs/pr/1'] },
      { id: 'signal-test/tiny-genai', files: await filesOf(genai.dir) },
      { id: 'signal-test/gated', files: community, gated: true },
    ],
    { token: TOKEN, pageSize: 3 },
  );
}, 60_000);
afterAll(async () => {
  delete process.env.SIGNAL_CACHE;
  await hub?.close();
  await fixture?.cleanup();
});

/** A fresh cache per test; the hub's request log starts empty. */
async function cacheDir(): Promise<string> {
  hub.requests.length = 0;
  const dir = join(fixture.root, `cache${counter++}`);
  await mkdir(dir, { recursive: true });
  return dir;
}
const settings = (cache: string, extra: Record<string, unknown> = {}) => ({
  endpoint: hub.endpoint,
  cacheDir: cache,
  offline: false,
  ...extra,
});
async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as Error,
  );
}
const downloads = () =>
  hub.requests.filter((r) => r.path.includes('/resolve/') || r.origin === 'cdn');
const repoFolder = (cache: string, id = 'signal-test/tiny-community') =>
  join(cache, `models--${id.replace('/', '--')}`);

describe('pullModel against a loopback Hub', () => {
  it('fetches only the variant it needs into the huggingface_hub cache layout, and loads', async () => {
    const cache = await cacheDir();
    const events: PullProgress[] = [];
    const pulled = await pullModel('hf:signal-test/tiny-community@main', {
      dtype: 'q4',
      settings: settings(cache),
      onProgress: (e) => events.push(e),
    });
    const commit = hub.commitOf('signal-test/tiny-community');
    const folder = repoFolder(cache);
    expect(pulled.dir).toBe(join(folder, 'snapshots', commit));
    expect([...pulled.files].sort()).toEqual(
      [
        'config.json',
        'generation_config.json',
        'onnx/model_q4.onnx',
        'onnx/model_q4.onnx_data',
        'tokenizer.json',
        'tokenizer_config.json',
      ].sort(),
    );
    const fetched = new Set(
      downloads()
        .filter((r) => r.origin === 'hub')
        .map((r) => r.path.split(`/resolve/${commit}/`)[1]),
    );
    expect(fetched.has('onnx/model_q4.onnx_data')).toBe(true);
    expect(fetched.has('onnx/model.onnx')).toBe(false);
    expect(fetched.has('onnx/model.onnx_data')).toBe(false);
    // Python's layout: refs/main holds the commit; snapshot entries are relative links into blobs/.
    expect(await readFile(join(folder, 'refs', 'main'), 'utf8')).toBe(commit);
    const graph = join(pulled.dir, 'onnx', 'model_q4.onnx');
    expect((await lstat(graph)).isSymbolicLink()).toBe(true);
    const sha = createHash('sha256').update(community.get('onnx/model_q4.onnx')!).digest('hex');
    expect(await readlink(graph)).toBe(`../../../blobs/${sha}`);
    const gitOid = createHash('sha1')
      .update(`blob ${community.get('config.json')!.length}\0`)
      .update(community.get('config.json')!)
      .digest('hex');
    expect(await readlink(join(pulled.dir, 'config.json'))).toBe(`../../blobs/${gitOid}`);
    // Several files were in flight at once, and the tree was read page by page.
    expect(hub.requests.filter((r) => r.path.includes('/tree/')).length).toBeGreaterThan(1);
    expect(events[0]).toMatchObject({ type: 'resolved', commit, cachedBytes: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'done', dir: pulled.dir, offline: false });
    const lm = await CausalLM.load(pulled.dir, { dtype: 'q4', session: SESSION });
    expect(lm.signature.quantization.op).toBe('MatMulNBits');
    await lm.dispose();

    // A second pull finds every blob and downloads nothing.
    hub.requests.length = 0;
    const again = await pullModel('signal-test/tiny-community', {
      dtype: 'q4',
      settings: settings(cache),
    });
    expect(again.downloadedBytes).toBe(0);
    expect(downloads()).toHaveLength(0);
  });

  it('resumes a file whose connection broke off, with Range', async () => {
    const cache = await cacheDir();
    hub.cut('onnx/model.onnx_data', 160 * 1024, 2);
    const pulled = await pullModel('signal-test/tiny-community', { settings: settings(cache) });
    const data = `/cdn/${createHash('sha256').update(community.get('onnx/model.onnx_data')!).digest('hex')}`;
    const tries = hub.requests.filter((r) => r.path === data);
    // Two cut connections, then a third request finishes the file. A retry resumes from the
    // bytes on disk; undici drops a chunk still buffered when its socket dies, so how many
    // bytes each cut left varies, but at least one retry resumed with Range.
    expect(tries).toHaveLength(3);
    expect(tries[0]!.range).toBeUndefined();
    const ranges = tries.flatMap((r) => (r.range ? [r.range] : []));
    expect(ranges.length).toBeGreaterThan(0);
    for (const range of ranges) expect(range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(await readFile(join(pulled.dir, 'onnx', 'model.onnx_data'))).toEqual(
      community.get('onnx/model.onnx_data'),
    );
  });

  it('resumes a partial blob another process left behind', async () => {
    const cache = await cacheDir();
    const data = community.get('onnx/model.onnx_data')!;
    const sha = createHash('sha256').update(data).digest('hex');
    const partial = new HubCache(cache, 'signal-test/tiny-community').partialPath(sha);
    await mkdir(join(partial, '..'), { recursive: true });
    await writeFile(partial, data.subarray(0, 4096));
    await pullModel('signal-test/tiny-community', { settings: settings(cache) });
    expect(hub.requests.filter((r) => r.origin === 'cdn' && r.range).map((r) => r.range)).toEqual([
      'bytes=4096-',
    ]);
  });

  it('a corrupted file fails the pull with a checksum error and leaves the cache as it was', async () => {
    const cache = await cacheDir();
    hub.corrupt('tokenizer.json');
    try {
      const error = await failure(
        pullModel('signal-test/tiny-community', { settings: settings(cache) }),
      );
      expect(isSignalError(error, 'HUB_CHECKSUM_MISMATCH')).toBe(true);
      expect(error.message).toContain('tokenizer.json');
    } finally {
      hub.restore('tokenizer.json');
    }
    const folder = repoFolder(cache);
    await expect(stat(join(folder, 'snapshots'))).rejects.toThrow();
    await expect(stat(join(folder, 'refs'))).rejects.toThrow();
  });

  it('a gated repository answers 401 without a token, and pulls with HF_TOKEN', async () => {
    const cache = await cacheDir();
    const error = await failure(pullModel('signal-test/gated', { settings: settings(cache) }));
    expect(isSignalError(error, 'HUB_UNAUTHORIZED')).toBe(true);
    expect(error.message).toContain('gated');
    hub.requests.length = 0;
    await pullModel('signal-test/gated', { settings: settings(cache, { token: TOKEN }) });
    expect(
      hub.requests
        .filter((r) => r.origin === 'hub')
        .every((r) => r.authorization === `Bearer ${TOKEN}`),
    ).toBe(true);
    // The token never leaves for the CDN's origin.
    expect(
      hub.requests.filter((r) => r.origin === 'cdn').every((r) => r.authorization === undefined),
    ).toBe(true);
  });

  it('an unknown repository, revision or variant is a typed 404', async () => {
    const cache = await cacheDir();
    const repo = await failure(
      pullModel('signal-test/nothing-here', { settings: settings(cache) }),
    );
    expect(isSignalError(repo, 'HUB_REPO_NOT_FOUND')).toBe(true);
    const revision = await failure(
      pullModel('signal-test/tiny-community@v9', { settings: settings(cache) }),
    );
    expect(isSignalError(revision, 'HUB_REVISION_NOT_FOUND')).toBe(true);
    const variant = await failure(
      pullModel('signal-test/tiny-community', { dtype: 'fp16', settings: settings(cache) }),
    );
    expect(isSignalError(variant, 'HUB_ENTRY_NOT_FOUND')).toBe(true);
    expect(variant.message).toContain('onnx/model_q4.onnx');
    const ref = await failure(pullModel('hf:not a repo', { settings: settings(cache) }));
    expect(isSignalError(ref, 'HUB_REF_INVALID')).toBe(true);
  });

  it('a full disk is a typed error and leaves no partial file', async () => {
    const cache = await cacheDir();
    const data = community.get('onnx/model.onnx_data')!;
    const sha = createHash('sha256').update(data).digest('hex');
    const partial = new HubCache(cache, 'signal-test/tiny-community').partialPath(sha);
    await mkdir(join(partial, '..'), { recursive: true });
    // Writes to /dev/full fail with ENOSPC, exactly as on a full filesystem.
    await symlink('/dev/full', partial);
    const error = await failure(
      pullModel('signal-test/tiny-community', { settings: settings(cache) }),
    );
    expect(isSignalError(error, 'HUB_DISK_FULL')).toBe(true);
    await expect(lstat(partial)).rejects.toThrow();
    await expect(stat(join(repoFolder(cache), 'snapshots'))).rejects.toThrow();
  });

  it('HF_HUB_OFFLINE serves the cache without a request, and says what is missing', async () => {
    const cache = await cacheDir();
    const miss = await failure(
      pullModel('signal-test/tiny-community', { settings: settings(cache, { offline: true }) }),
    );
    expect(isSignalError(miss, 'HUB_OFFLINE_MISS')).toBe(true);
    const online = await pullModel('signal-test/tiny-community', { settings: settings(cache) });
    hub.requests.length = 0;
    const offline = await pullModel('signal-test/tiny-community', {
      settings: settings(cache, { offline: true }),
    });
    expect(offline.dir).toBe(online.dir);
    expect(hub.requests).toHaveLength(0);
    const q4 = await failure(
      pullModel('signal-test/tiny-community', {
        dtype: 'q4',
        settings: settings(cache, { offline: true }),
      }),
    );
    expect(isSignalError(q4, 'HUB_OFFLINE_MISS')).toBe(true);
  });

  it('reads genai_config.json first and fetches the decoder it names', async () => {
    const cache = await cacheDir();
    const pulled = await pullModel('signal-test/tiny-genai', { settings: settings(cache) });
    expect([...pulled.files].sort()).toEqual(
      [
        'config.json',
        'genai_config.json',
        'generation_config.json',
        'model.onnx',
        'model.onnx.data',
        'tokenizer.json',
        'tokenizer_config.json',
      ].sort(),
    );
    const lm = await CausalLM.load(pulled.dir, { session: SESSION });
    expect(lm.modelDir.layout).toBe('genai');
    // The rewritten copy lives outside the hub cache, never beside the snapshot.
    expect(lm.modelDir.dir.startsWith(cache)).toBe(false);
    expect(lm.modelDir.dir.startsWith(join(fixture.root, 'signal', 'derived'))).toBe(true);
    await lm.dispose();
    // Warm: the genai graph's variant is its own, and the snapshot is served after the revision lookup.
    hub.requests.length = 0;
    const again = await pullModel('signal-test/tiny-genai', { settings: settings(cache) });
    expect(again.dir).toBe(pulled.dir);
    expect(hub.requests.map((r) => r.path)).toEqual([
      '/api/models/signal-test/tiny-genai/revision/main',
    ]);
  });

  it('records the optional files the repository lacks in .no_exist/, so a repeat pull only asks for the revision', async () => {
    const cache = await cacheDir();
    const commit = hub.commitOf('signal-test/tiny-community');
    const pulled = await pullModel('signal-test/tiny-community', { settings: settings(cache) });
    const noExist = join(repoFolder(cache), '.no_exist', commit);
    // huggingface_hub's markers: empty files named after what the commit lacks.
    for (const absent of [
      'special_tokens_map.json',
      'chat_template.jinja',
      'onnx/embed_tokens.onnx',
    ])
      expect((await stat(join(noExist, absent))).size).toBe(0);
    await expect(stat(join(noExist, 'config.json'))).rejects.toThrow();
    await expect(stat(join(noExist, 'generation_config.json'))).rejects.toThrow();

    hub.requests.length = 0;
    const events: PullProgress[] = [];
    const again = await pullModel('signal-test/tiny-community', {
      settings: settings(cache),
      onProgress: (e) => events.push(e),
    });
    expect(again.dir).toBe(pulled.dir);
    expect(hub.requests.map((r) => r.path)).toEqual([
      '/api/models/signal-test/tiny-community/revision/main',
    ]);
    expect([...again.files].sort()).toEqual([...pulled.files].sort());
    expect(events[0]).toMatchObject({ type: 'resolved', commit });

    // A commit never moves: pinned to one, a complete snapshot needs no request at all.
    hub.requests.length = 0;
    await pullModel(`signal-test/tiny-community@${commit}`, { settings: settings(cache) });
    expect(hub.requests).toHaveLength(0);

    // A cache without markers (as Python's snapshot_download leaves it) is listed once more.
    await rm(join(repoFolder(cache), '.no_exist'), { recursive: true });
    hub.requests.length = 0;
    await pullModel('signal-test/tiny-community', { settings: settings(cache) });
    expect(hub.requests.some((r) => r.path.includes('/tree/'))).toBe(true);
    expect(downloads()).toHaveLength(0);
    expect((await stat(join(noExist, 'chat_template.jinja'))).size).toBe(0);
  });

  it('a repository without an adapter is recorded as such: offline and pinned lookups answer without the network', async () => {
    const cache = await cacheDir();
    const commit = hub.commitOf('signal-test/tiny-community');
    const online = await failure(
      pullModel('signal-test/tiny-community', { kind: 'adapter', settings: settings(cache) }),
    );
    expect(isSignalError(online, 'HUB_ENTRY_NOT_FOUND')).toBe(true);
    const noExist = join(repoFolder(cache), '.no_exist', commit);
    expect((await stat(join(noExist, 'adapter_config.json'))).size).toBe(0);
    expect((await stat(join(noExist, 'adapter_model.safetensors'))).size).toBe(0);
    hub.requests.length = 0;
    for (const offline of [true, false]) {
      const again = await failure(
        pullModel(`signal-test/tiny-community@${commit}`, {
          kind: 'adapter',
          settings: settings(cache, { offline }),
        }),
      );
      expect(isSignalError(again, 'HUB_ENTRY_NOT_FOUND')).toBe(true);
      expect(again.message).toContain('no PEFT adapter');
    }
    expect(hub.requests).toHaveLength(0);
  });

  it('a missing entry answers 404 EntryNotFound with the commit, as the real Hub does', async () => {
    const commit = hub.commitOf('signal-test/tiny-community');
    const response = await fetch(
      `${hub.endpoint}/signal-test/tiny-community/resolve/main/generation_config.jsonx`,
      { method: 'HEAD' },
    );
    expect(response.status).toBe(404);
    expect(response.headers.get('x-error-code')).toBe('EntryNotFound');
    expect(response.headers.get('x-repo-commit')).toBe(commit);
  });

  it('a revision holding "/" (refs/pr/1) is sent URL-encoded and recorded under refs/refs/pr/1', async () => {
    const cache = await cacheDir();
    const commit = hub.commitOf('signal-test/tiny-community');
    const pulled = await pullModel('hf:signal-test/tiny-community@refs%2Fpr%2F1', {
      settings: settings(cache),
    });
    expect(pulled.ref.revision).toBe('refs/pr/1');
    expect(pulled.commit).toBe(commit);
    const revisionRequest = hub.requests.find((r) => r.path.includes('/revision/'));
    expect(revisionRequest?.path).toBe('/api/models/signal-test/tiny-community/revision/refs/pr/1');
    expect(revisionRequest?.rawPath).toBe(
      '/api/models/signal-test/tiny-community/revision/refs%2Fpr%2F1',
    );
    // Python's layout for such a revision: nested folders under refs/.
    expect(await readFile(join(repoFolder(cache), 'refs', 'refs', 'pr', '1'), 'utf8')).toBe(commit);
    const offline = await pullModel('hf:signal-test/tiny-community@refs%2Fpr%2F1', {
      settings: settings(cache, { offline: true }),
    });
    expect(offline.dir).toBe(pulled.dir);
    // Written unencoded, the revision is "refs" and the rest a subfolder: the Hub has no such revision.
    const unencoded = await failure(
      pullModel('hf:signal-test/tiny-community@refs/pr/1', { settings: settings(cache) }),
    );
    expect(isSignalError(unencoded, 'HUB_REVISION_NOT_FOUND')).toBe(true);
  });

  it('downloads several files at once: the others finish while the first is held mid-file', async () => {
    const cache = await cacheDir();
    // config.json is the first file a worker takes: one worker alone could finish nothing else.
    const held = hub.hold('config.json', 16);
    const finished: string[] = [];
    let othersDone!: () => void;
    const others = new Promise<void>((resolve) => {
      othersDone = resolve;
    });
    const pulling = pullModel('signal-test/tiny-community', {
      settings: settings(cache),
      onProgress: (e) => {
        if (e.type !== 'file') return;
        finished.push(e.path);
        if (finished.length === 5) othersDone();
      },
    });
    await held.reached;
    await others;
    expect(finished).not.toContain('config.json');
    held.release();
    const pulled = await pulling;
    expect(finished.at(-1)).toBe('config.json');
    expect(pulled.files).toHaveLength(6);
  });

  it('an LFS file that does not hash to its sha256 fails the pull and leaves no partial', async () => {
    const cache = await cacheDir();
    hub.corrupt('onnx/model.onnx_data');
    try {
      const error = await failure(
        pullModel('signal-test/tiny-community', { settings: settings(cache) }),
      );
      expect(isSignalError(error, 'HUB_CHECKSUM_MISMATCH')).toBe(true);
      expect(error.message).toContain("the Hub's sha256");
    } finally {
      hub.restore('onnx/model.onnx_data');
    }
    const blobs = await readdir(join(repoFolder(cache), 'blobs'));
    expect(blobs.filter((b) => b.endsWith('.incomplete'))).toEqual([]);
    await expect(stat(join(repoFolder(cache), 'snapshots'))).rejects.toThrow();
  });
});

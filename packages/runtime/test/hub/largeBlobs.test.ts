import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSignalError } from '@signal/core';
import { HubCache, pullModel } from '@signal/runtime';
import { THREAD_HASH_BYTES } from '../../src/hub/hashing/BlobHash';
import { type FakeHub, startFakeHub } from './fakeHub';

// Files past THREAD_HASH_BYTES are hashed on the hashing thread: an LFS weight file (sha256)
// and a git-stored tokenizer.json under the Hub's 10 MB limit (git's blob sha1), as Llama 3's is.
const REPO = 'signal-test/large';
const weights = randomBytes(THREAD_HASH_BYTES + 3 * 1024 * 1024 + 7);
const tokenizer = randomBytes(THREAD_HASH_BYTES + 1024 * 1024 + 3);
const files = new Map<string, Buffer>([
  ['config.json', Buffer.from('{"model_type":"llama"}')],
  ['tokenizer.json', tokenizer],
  ['onnx/model.onnx', randomBytes(64 * 1024)],
  ['onnx/model.onnx_data', weights],
]);
const digestOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const sha256 = digestOf(weights);

// Compared by digest: jest's toEqual walks a Buffer byte by byte, for seconds per MiB.
let root: string;
let hub: FakeHub;
let counter = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-large-'));
  hub = await startFakeHub([{ id: REPO, files }], { lfsThreshold: 16 * 1024 * 1024 });
});
afterAll(async () => {
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});

const settings = () => ({
  endpoint: hub.endpoint,
  cacheDir: join(root, `cache${counter++}`),
  offline: false,
});
const pull = (cache = settings()) => pullModel(REPO, { kind: 'all', settings: cache });

describe('pulling files hashed on the hashing thread', () => {
  it('verifies a large LFS file by sha256 and a large git file by its blob sha1', async () => {
    const pulled = await pull();
    expect(digestOf(await readFile(join(pulled.dir, 'onnx', 'model.onnx_data')))).toBe(
      digestOf(weights),
    );
    expect(digestOf(await readFile(join(pulled.dir, 'tokenizer.json')))).toBe(digestOf(tokenizer));
  });

  it('a large file served corrupted fails by checksum and leaves no partial of it', async () => {
    for (const [path, digest] of [
      ['onnx/model.onnx_data', 'sha256'],
      ['tokenizer.json', 'git oid'],
    ] as const) {
      const cache = settings();
      hub.corrupt(path);
      try {
        const error = await pull(cache).catch((e: unknown) => e as Error);
        expect(isSignalError(error, 'HUB_CHECKSUM_MISMATCH')).toBe(true);
        expect((error as Error).message).toContain(
          `${REPO}/${path} does not match the Hub's ${digest}`,
        );
      } finally {
        hub.restore(path);
      }
      const folder = join(cache.cacheDir, `models--${REPO.replace('/', '--')}`);
      // The other large file may have been cut off mid-way when the pull failed: its partial
      // stays, resumable, as huggingface_hub's does. The corrupted one leaves nothing.
      const stored = hub.repoFiles(REPO).find((f) => f.path === path)!;
      const etag = stored.lfs ? stored.sha256 : stored.gitOid;
      const blobs = await readdir(join(folder, 'blobs'));
      expect(blobs.filter((b) => b.startsWith(etag))).toEqual([]);
      await expect(stat(join(folder, 'snapshots'))).rejects.toThrow();
    }
  });

  it('resumes a large file cut mid-way, hashing the bytes already on disk', async () => {
    hub.requests.length = 0;
    hub.cut('onnx/model.onnx_data', 5 * 1024 * 1024, 1);
    const pulled = await pull();
    const tries = hub.requests.filter((r) => r.path === `/cdn/${sha256}`);
    expect(tries).toHaveLength(2);
    expect(tries[1]!.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(digestOf(await readFile(join(pulled.dir, 'onnx', 'model.onnx_data')))).toBe(
      digestOf(weights),
    );
  });

  it('a complete partial left by a dead process is hashed from disk and moved into place', async () => {
    const cache = settings();
    const partial = new HubCache(cache.cacheDir, REPO).partialPath(sha256);
    await mkdir(join(partial, '..'), { recursive: true });
    await writeFile(partial, weights);
    hub.requests.length = 0;
    const pulled = await pull(cache);
    expect(hub.requests.filter((r) => r.path === `/cdn/${sha256}`)).toEqual([]);
    expect(digestOf(await readFile(join(pulled.dir, 'onnx', 'model.onnx_data')))).toBe(
      digestOf(weights),
    );
  });
});

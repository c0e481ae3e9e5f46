import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { AdapterStore, httpSource, type OpenDownloadFile, writeTestAdapter } from '@signal/lora';
import { type FakeHub, startFakeHub } from '../helpers/fakeHub';
import { llamaTargets } from '../helpers/targets';

/*
 * Fault: an adapter download over HTTP (here the Hub's `resolve` URLs, which redirect to a
 * CDN) dies in the middle of the file (the CDN connection drops), or the disk fills while it
 * is written (ENOSPC from the file stream). Either way
 * the load fails with a typed error, no partial file is left in the cache, the process does
 * not crash, and the next request downloads the file again and loads the adapter.
 */
const targets = llamaTargets();
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const CONFIG = 'adapter_config.json';
const WEIGHTS = 'adapter_model.safetensors';

let root: string;
let hub: FakeHub;
let files: Record<string, Buffer>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lora-fault-download-'));
  const dir = join(root, 'adapter');
  await writeTestAdapter({
    outDir: dir,
    targets,
    seed: 3,
    config: { r: 2, target_modules: ['q_proj', 'v_proj'] },
  });
  files = {
    [CONFIG]: await readFile(join(dir, CONFIG)),
    [WEIGHTS]: await readFile(join(dir, WEIGHTS)),
  };
  hub = await startFakeHub({ 'org/adapter': { revisions: { main: files } } });
});

afterAll(async () => {
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});

beforeEach(() => {
  hub.requests.length = 0;
});

/** The Hub's `resolve` URLs of a revision, as an HTTP adapter source takes them. */
function resolveUrl(revision: string): string {
  return `${hub.endpoint}/org/adapter/resolve/${revision}/`;
}

function storeFor(cacheDir: string, openFile?: OpenDownloadFile): AdapterStore {
  const source = httpSource({
    adapters: {
      adapter: {
        url: resolveUrl('main'),
        sha256: { [CONFIG]: sha(files[CONFIG]!), [WEIGHTS]: sha(files[WEIGHTS]!) },
      },
    },
    cacheDir,
    maxBytes: 1 << 20,
    openFile,
  });
  return new AdapterStore({ targets, sources: [source], maxBytes: 1 << 20 });
}

/** Every file under `dir`, relative, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

const noSpace = () =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
    errno: -28,
    syscall: 'write',
  });

/**
 * A real file stream that fails like a full disk once `capacity` bytes are written: the bytes
 * before that reach the file, so there is a real partial file to clean up.
 */
function diskWithRoomFor(capacity: number): OpenDownloadFile {
  return (path) => {
    const file = createWriteStream(path, { flags: 'wx' });
    let written = 0;
    return new Writable({
      write(chunk: Buffer, _encoding, callback) {
        const room = capacity - written;
        if (chunk.byteLength <= room) {
          written += chunk.byteLength;
          file.write(chunk, callback);
          return;
        }
        file.write(chunk.subarray(0, Math.max(0, room)), () => callback(noSpace()));
      },
      final(callback) {
        file.end(callback);
      },
      destroy(error, callback) {
        file.destroy();
        file.once('close', () => callback(error));
      },
    });
  };
}

describe('fault: an adapter download that fails part-way', () => {
  it('a CDN connection dying mid-file: LORA_DOWNLOAD_FAILED, no partial file, the next request downloads again', async () => {
    const cacheDir = await mkdtemp(join(root, 'mid-file-'));
    const store = storeFor(cacheDir);
    hub.failNextBlob('die-mid-file');

    await expect(store.load('adapter')).rejects.toMatchObject({
      code: 'LORA_DOWNLOAD_FAILED',
      shortMessage: expect.stringContaining('broke off after'),
    });
    // The config (a complete, verified file) is kept; nothing of the weights is.
    expect(await filesUnder(cacheDir)).toEqual([expect.stringMatching(new RegExp(`/${CONFIG}$`))]);

    const adapter = await store.load('adapter');
    expect(adapter.name).toBe('adapter');
    expect((await filesUnder(cacheDir)).map((f) => f.split('/').pop())).toEqual([CONFIG, WEIGHTS]);
    const weightFetches = hub.requests.filter((path) => path.startsWith('cdn:'));
    expect(weightFetches).toHaveLength(2);
    expect(hub.requests.filter((path) => path.endsWith(`/${CONFIG}`))).toHaveLength(1);
    expect(store.metrics.failures).toBe(1);
  });

  it('a write error (ENOSPC from the file stream): LORA_WRITE_FAILED naming the cause, no partial file, no crash, the next request retries', async () => {
    const cacheDir = await mkdtemp(join(root, 'no-space-'));
    let full = true;
    const tight = diskWithRoomFor(files[WEIGHTS]!.byteLength >> 2);
    const store = storeFor(cacheDir, (path) =>
      full && path.includes(WEIGHTS) ? tight(path) : createWriteStream(path, { flags: 'wx' }),
    );

    const failure = store.load('adapter');
    await expect(failure).rejects.toMatchObject({
      code: 'LORA_WRITE_FAILED',
      details: expect.stringContaining('ENOSPC'),
    });
    expect((await filesUnder(cacheDir)).map((f) => f.split('/').pop())).toEqual([CONFIG]);

    full = false;
    const adapter = await store.load('adapter');
    expect(adapter.name).toBe('adapter');
    expect((await filesUnder(cacheDir)).map((f) => f.split('/').pop())).toEqual([CONFIG, WEIGHTS]);
    expect(hub.requests.filter((path) => path.startsWith('cdn:'))).toHaveLength(2);
  });

  it('a file the Hub does not have: LORA_DOWNLOAD_FAILED carrying the Hub error code', async () => {
    const cacheDir = await mkdtemp(join(root, 'missing-'));
    const source = httpSource({
      adapters: {
        adapter: {
          url: resolveUrl('v9'),
          sha256: { [CONFIG]: sha(files[CONFIG]!), [WEIGHTS]: sha(files[WEIGHTS]!) },
        },
      },
      cacheDir,
      maxBytes: 1 << 20,
    });
    const store = new AdapterStore({ targets, sources: [source], maxBytes: 1 << 20 });
    await expect(store.load('adapter')).rejects.toMatchObject({
      code: 'LORA_DOWNLOAD_FAILED',
      shortMessage: expect.stringContaining('HTTP 404'),
      details: expect.stringContaining('RevisionNotFound'),
    });
    expect(await filesUnder(cacheDir)).toEqual([]);
  });
});

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdapterStore,
  httpSource,
  huggingFaceSource,
  localDirSource,
  writeTestAdapter,
} from '@signal/lora';
import { filesOf, startFakeHub } from '../../runtime/test/hub/fakeHub';
import { llamaTargets } from './helpers/targets';

const targets = llamaTargets();
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** r=2 on q_proj over 2 layers: 2 modules × (16·2 + 2·16) floats × 4 bytes. */
const ADAPTER_BYTES = 2 * 64 * 4;

type Behaviour = 'ok' | 'truncate' | 'missing';

describe('AdapterStore', () => {
  let root: string;
  let server: Server;
  let base: string;
  let files: Map<string, Buffer>;
  const behaviour = new Map<string, Behaviour>();
  let requests: string[];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lora-store-'));
    files = new Map();
    for (const [i, name] of ['alpha', 'beta', 'gamma', 'delta'].entries()) {
      const dir = join(root, 'local', name);
      await writeTestAdapter({
        outDir: dir,
        targets,
        seed: i,
        config: { r: 2, target_modules: ['q_proj'] },
      });
      for (const file of ['adapter_config.json', 'adapter_model.safetensors']) {
        files.set(`/${name}/${file}`, await readFile(join(dir, file)));
        // The hub layout serves the same bytes under /{repo}/resolve/{revision}/{file}.
        files.set(`/org/${name}/resolve/v1/${file}`, await readFile(join(dir, file)));
      }
    }
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const body = files.get(req.url ?? '');
      const mode = behaviour.get(req.url ?? '') ?? 'ok';
      if (!body || mode === 'missing') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-length': body.byteLength });
      if (mode === 'truncate') {
        res.write(body.subarray(0, body.byteLength >> 1));
        res.socket?.destroy();
        return;
      }
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    requests = [];
    behaviour.clear();
  });

  const specFor = (name: string, overrides: Partial<Record<string, string>> = {}) => ({
    url: `${base}/${name}/`,
    sha256: {
      'adapter_config.json': overrides.config ?? sha(files.get(`/${name}/adapter_config.json`)!),
      'adapter_model.safetensors':
        overrides.weights ?? sha(files.get(`/${name}/adapter_model.safetensors`)!),
    },
  });

  it('loads from a local directory, counts hits and misses, and de-duplicates concurrent loads', async () => {
    const store = new AdapterStore({
      targets,
      sources: [localDirSource(join(root, 'local'))],
      maxBytes: 1 << 20,
    });
    const [a, b] = await Promise.all([store.load('alpha'), store.load('alpha')]);
    expect(a).toBe(b);
    await store.load('alpha');
    const m = store.metrics;
    expect(m).toMatchObject({ loads: 1, hits: 1, misses: 2, bytes: ADAPTER_BYTES });
    expect(m.loadLatencyMs.count).toBe(1);
    expect(m.loadLatencyMs.total).toBeGreaterThan(0);
    expect(store.list()).toEqual([
      {
        name: 'alpha',
        source: `local:${join(root, 'local')}`,
        bytes: ADAPTER_BYTES,
        maxRank: 2,
        pins: 0,
      },
    ]);
    await expect(store.load('nope')).rejects.toMatchObject({ code: 'LORA_ADAPTER_NOT_FOUND' });
    await expect(store.load('../local/alpha')).rejects.toMatchObject({
      code: 'LORA_ADAPTER_NOT_FOUND',
    });
    expect(store.unload('alpha')).toBe(true);
    expect(store.metrics.bytes).toBe(0);
  });

  it('evicts least recently used adapters but never a pinned one', async () => {
    const store = new AdapterStore({
      targets,
      sources: [localDirSource(join(root, 'local'))],
      maxBytes: 2 * ADAPTER_BYTES,
    });
    const lease = await store.acquire('alpha');
    await store.load('beta');
    await store.load('gamma'); // alpha is older but pinned: beta goes
    expect(store.list().map((e) => e.name)).toEqual(['alpha', 'gamma']);
    expect(store.metrics.evictions).toBe(1);
    expect(() => store.unload('alpha')).toThrow(
      expect.objectContaining({ code: 'LORA_ADAPTER_IN_USE' }),
    );
    const second = await store.acquire('gamma');
    await expect(store.load('delta')).rejects.toMatchObject({ code: 'LORA_CACHE_FULL' });
    lease.release();
    lease.release(); // idempotent: does not unpin gamma's lease or go negative
    await store.load('delta');
    expect(store.list().map((e) => [e.name, e.pins])).toEqual([
      ['gamma', 1],
      ['delta', 0],
    ]);
    second.release();
    const tiny = new AdapterStore({
      targets,
      sources: [localDirSource(join(root, 'local'))],
      maxBytes: 10,
    });
    await expect(tiny.load('alpha')).rejects.toMatchObject({ code: 'LORA_TOO_LARGE' });
  });

  it('downloads over HTTP once, verifies sha256 and reuses the disk cache', async () => {
    const cacheDir = join(root, 'http-cache');
    const source = httpSource({
      adapters: { alpha: specFor('alpha') },
      cacheDir,
      maxBytes: 1 << 20,
    });
    const store = new AdapterStore({ targets, sources: [source], maxBytes: 1 << 20 });
    const local = await new AdapterStore({
      targets,
      sources: [localDirSource(join(root, 'local'))],
      maxBytes: 1 << 20,
    }).load('alpha');
    const remote = await store.load('alpha');
    expect(remote.modules.get('model.layers.1.self_attn.q_proj')?.b).toEqual(
      local.modules.get('model.layers.1.self_attn.q_proj')?.b,
    );
    expect(requests).toEqual(['/alpha/adapter_config.json', '/alpha/adapter_model.safetensors']);
    const fresh = new AdapterStore({ targets, sources: [source], maxBytes: 1 << 20 });
    await fresh.load('alpha');
    expect(requests).toHaveLength(2);
  });

  it('prefetches files without loading, and pins concurrent acquires with one load', async () => {
    const source = httpSource({
      adapters: { delta: specFor('delta') },
      cacheDir: join(root, 'prefetch-cache'),
      maxBytes: 1 << 20,
    });
    const store = new AdapterStore({ targets, sources: [source], maxBytes: 1 << 20 });
    await store.prefetch('delta');
    expect(requests).toHaveLength(2);
    expect(store.list()).toEqual([]);
    const leases = await Promise.all([
      store.acquire('delta'),
      store.acquire('delta'),
      store.acquire('delta'),
    ]);
    expect(requests).toHaveLength(2);
    expect(store.metrics.loads).toBe(1);
    expect(store.list()[0]?.pins).toBe(3);
    for (const lease of leases) lease.release();
    expect(store.list()[0]?.pins).toBe(0);
  });

  it('pulls from the Hub into the huggingface_hub cache with the runtime client', async () => {
    const hub = await startFakeHub([
      {
        id: 'org/beta',
        files: await filesOf(join(root, 'local', 'beta')),
        revisions: ['refs/pr/1'],
      },
    ]);
    try {
      const cacheDir = join(root, 'hf-cache');
      const settings = { endpoint: hub.endpoint, cacheDir, offline: false };
      const weights = sha(files.get('/beta/adapter_model.safetensors')!);
      const source = huggingFaceSource({
        adapters: { beta: { repo: 'org/beta', revision: 'main', sha256: weights } },
        settings,
      });
      const store = new AdapterStore({ targets, sources: [source], maxBytes: 1 << 20 });
      await store.load('beta');
      expect(store.list()[0]?.source).toBe(`hf:${hub.endpoint}`);
      const snapshot = join(cacheDir, 'models--org--beta', 'snapshots', hub.commitOf('org/beta'));
      expect(await readFile(join(snapshot, 'adapter_model.safetensors'))).toEqual(
        files.get('/beta/adapter_model.safetensors'),
      );
      // A pin that the repository's weights do not match is refused.
      const pinned = huggingFaceSource({
        adapters: { beta: { repo: 'hf:org/beta@main', sha256: '0'.repeat(64) } },
        settings,
      });
      await expect(pinned.resolve('beta')).rejects.toMatchObject({
        code: 'LORA_INTEGRITY_MISMATCH',
      });
      // A revision holding "/" is one revision, sent URL-encoded, not a subfolder.
      const pr = huggingFaceSource({
        adapters: { beta: { repo: 'org/beta', revision: 'refs/pr/1' } },
        settings,
      });
      expect(await pr.resolve('beta')).toBe(snapshot);
      expect(
        await readFile(join(cacheDir, 'models--org--beta', 'refs', 'refs', 'pr', '1'), 'utf8'),
      ).toBe(hub.commitOf('org/beta'));
      const missing = huggingFaceSource({ adapters: { gone: { repo: 'org/gone' } }, settings });
      await expect(missing.resolve('gone')).rejects.toMatchObject({
        code: 'LORA_DOWNLOAD_FAILED',
        message: expect.stringContaining('HUB_REPO_NOT_FOUND'),
      });
    } finally {
      await hub.close();
    }
  });

  async function expectNoFiles(dir: string): Promise<void> {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    expect(
      entries.filter(
        (e) => e.isFile() && (e.name.endsWith('.safetensors') || e.name.endsWith('.part')),
      ),
    ).toEqual([]);
  }

  it.each([
    [
      'a wrong sha256',
      'LORA_INTEGRITY_MISMATCH',
      () => ({ spec: specFor('gamma', { weights: '0'.repeat(64) }), maxBytes: 1 << 20 }),
    ],
    [
      'a truncated body',
      'LORA_DOWNLOAD_FAILED',
      () => {
        behaviour.set('/gamma/adapter_model.safetensors', 'truncate');
        return { spec: specFor('gamma'), maxBytes: 1 << 20 };
      },
    ],
    ['an oversized body', 'LORA_TOO_LARGE', () => ({ spec: specFor('gamma'), maxBytes: 300 })],
    [
      'a 404',
      'LORA_DOWNLOAD_FAILED',
      () => {
        behaviour.set('/gamma/adapter_model.safetensors', 'missing');
        return { spec: specFor('gamma'), maxBytes: 1 << 20 };
      },
    ],
  ])('refuses %s and leaves no partial file', async (_label, code, setup) => {
    const { spec, maxBytes } = setup();
    const cacheDir = await mkdtemp(join(root, 'bad-'));
    const store = new AdapterStore({
      targets,
      sources: [httpSource({ adapters: { gamma: spec }, cacheDir, maxBytes })],
      maxBytes: 1 << 20,
    });
    await expect(store.load('gamma')).rejects.toMatchObject({ code });
    await expectNoFiles(cacheDir);
    expect(store.metrics.failures).toBe(1);
    expect(store.list()).toEqual([]);
  });

  it('refuses a dead endpoint and a spec without a sha256', async () => {
    const dead = httpSource({
      adapters: { alpha: { ...specFor('alpha'), url: 'http://127.0.0.1:1/alpha/' } },
      cacheDir: join(root, 'dead'),
      maxBytes: 1 << 20,
    });
    await expect(
      new AdapterStore({ targets, sources: [dead], maxBytes: 1 << 20 }).load('alpha'),
    ).rejects.toMatchObject({
      code: 'LORA_DOWNLOAD_FAILED',
    });
    expect(() =>
      httpSource({
        adapters: {
          alpha: { url: `${base}/alpha/`, sha256: { 'adapter_config.json': 'x' } } as never,
        },
        cacheDir: root,
        maxBytes: 1,
      }),
    ).toThrow(expect.objectContaining({ code: 'LORA_CONFIG_INVALID' }));
  });
});

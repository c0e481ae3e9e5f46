import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSignalError } from '@signal/core';
import { loadCausalLM, pullModel } from '@signal/runtime';
import { InferenceSession } from 'onnxruntime-node';
import { layoutRoot, SESSION } from '../layouts/layoutFixtures';
import { type FakeHub, filesOf, startFakeHub } from './fakeHub';

const REPO = 'signal-test/tiny-warm';
const TOKEN = 'hf_test_token_for_the_gated_repo';
let fixture: Awaited<ReturnType<typeof layoutRoot>>;
let hub: FakeHub;
let counter = 0;

beforeAll(async () => {
  fixture = await layoutRoot();
  process.env.SIGNAL_CACHE = join(fixture.root, 'signal');
  const built = await fixture.build('warm', { layout: 'onnx-community' });
  const files = await filesOf(built.dir);
  hub = await startFakeHub(
    [
      { id: REPO, files },
      { id: 'signal-test/gated-warm', files, gated: true },
    ],
    { token: TOKEN },
  );
}, 60_000);
afterAll(async () => {
  delete process.env.SIGNAL_CACHE;
  await hub?.close();
  await fixture?.cleanup();
});
afterEach(() => jest.restoreAllMocks());

/** A cache the repository was pulled into once. */
async function warmCache(repo = REPO, token?: string) {
  const cacheDir = join(fixture.root, `cache${counter++}`);
  await mkdir(cacheDir, { recursive: true });
  const settings = { endpoint: hub.endpoint, cacheDir, offline: false, token };
  const pulled = await pullModel(`hf:${repo}@main`, { settings });
  hub.requests.length = 0;
  return { settings, pulled };
}

/** Resolves when the next ONNX Runtime session starts being created (the call goes through). */
function nextSessionCreate(): Promise<string> {
  const create = InferenceSession.create.bind(InferenceSession) as (
    ...args: unknown[]
  ) => Promise<InferenceSession>;
  return new Promise((resolve) => {
    jest.spyOn(InferenceSession, 'create').mockImplementation(((...args: unknown[]) => {
      resolve(String(args[0]));
      return create(...args);
    }) as typeof InferenceSession.create);
  });
}

describe('loadCausalLM', () => {
  it('opens the cached snapshot while the Hub is asked for the revision, and keeps it when the revision has not moved', async () => {
    const { settings, pulled } = await warmCache();
    const held = hub.holdRevision(REPO);
    const created = nextSessionCreate();
    const loading = loadCausalLM(`hf:${REPO}@main`, { session: SESSION, pull: { settings } });
    await held.reached;
    // The revision's answer is held back, and the session on the cached snapshot is already being made.
    expect(await created).toBe(join(pulled.dir, 'onnx', 'model.onnx'));
    held.release();
    const lm = await loading;
    expect(lm.modelDir.dir).toBe(pulled.dir);
    expect(InferenceSession.create).toHaveBeenCalledTimes(1);
    expect(hub.requests.map((r) => r.path)).toEqual([`/api/models/${REPO}/revision/main`]);
    await lm.dispose();
  });

  it('drops the session on the stale snapshot and loads the new one when the branch moved', async () => {
    const { settings, pulled } = await warmCache();
    // The cache last saw main at another (complete) snapshot.
    const folder = join(settings.cacheDir, 'models--signal-test--tiny-warm');
    const stale = 'f'.repeat(40);
    await cp(pulled.dir, join(folder, 'snapshots', stale), {
      recursive: true,
      verbatimSymlinks: true,
    });
    await cp(join(folder, '.no_exist', pulled.commit), join(folder, '.no_exist', stale), {
      recursive: true,
    });
    await writeFile(join(folder, 'refs', 'main'), stale);
    const create = jest.spyOn(InferenceSession, 'create');
    const lm = await loadCausalLM(`hf:${REPO}@main`, { session: SESSION, pull: { settings } });
    expect(create.mock.calls.map(([path]) => path)).toEqual([
      join(folder, 'snapshots', stale, 'onnx', 'model.onnx'),
      join(pulled.dir, 'onnx', 'model.onnx'),
    ]);
    expect(lm.modelDir.dir).toBe(pulled.dir);
    expect(await readFile(join(folder, 'refs', 'main'), 'utf8')).toBe(pulled.commit);
    await lm.dispose();
  });

  it('loads again once the pull has completed a cached snapshot that lacked a file', async () => {
    const { settings, pulled } = await warmCache();
    await rm(join(pulled.dir, 'tokenizer.json'));
    const lm = await loadCausalLM(`hf:${REPO}@main`, { session: SESSION, pull: { settings } });
    expect(lm.modelDir.dir).toBe(pulled.dir);
    expect(lm.tokenizer.encode('a cache made whole again').length).toBeGreaterThan(0);
    await lm.dispose();
  });

  it('fails with the pull error when the Hub refuses, even with the cached session open', async () => {
    const { settings } = await warmCache('signal-test/gated-warm', TOKEN);
    const error = await loadCausalLM('hf:signal-test/gated-warm@main', {
      session: SESSION,
      pull: { settings: { ...settings, token: undefined } },
    }).catch((e: unknown) => e);
    expect(isSignalError(error, 'HUB_UNAUTHORIZED')).toBe(true);
  });

  it('loads a plain directory, and a pinned or offline reference without overlapping anything', async () => {
    const { settings, pulled } = await warmCache();
    const plain = await loadCausalLM(pulled.dir, { session: SESSION });
    expect(plain.modelDir.dir).toBe(pulled.dir);
    await plain.dispose();
    const pinned = await loadCausalLM(`hf:${REPO}@${pulled.commit}`, {
      session: SESSION,
      pull: { settings },
    });
    expect(pinned.modelDir.dir).toBe(pulled.dir);
    await pinned.dispose();
    const offline = await loadCausalLM(`hf:${REPO}@main`, {
      session: SESSION,
      pull: { settings: { ...settings, offline: true } },
    });
    expect(offline.modelDir.dir).toBe(pulled.dir);
    await offline.dispose();
    expect(hub.requests).toEqual([]);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSignalError } from '@signal/core';
import {
  buildModel,
  CausalLM,
  locateModelFiles,
  ModelRegistry,
  type RegistryModelSpec,
} from '@signal/runtime';

let root: string;
let dirs: Record<'a' | 'b' | 'c', string>;
let modelBytes: number;
const session = { intraOpThreads: 1, interOpThreads: 1 };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-registry-'));
  const names = ['a', 'b', 'c'] as const;
  await Promise.all(
    names.map((n, i) =>
      buildModel({ arch: 'llama', size: 'tiny', seed: 100 + i, outDir: join(root, n) }),
    ),
  );
  dirs = { a: join(root, 'a'), b: join(root, 'b'), c: join(root, 'c') };
  modelBytes = (await locateModelFiles(dirs.a)).modelBytes;
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A registry over the three models whose budget fits two; it counts real loads. */
function registry(overrides: { budgetBytes?: number; maxConcurrency?: number } = {}) {
  const loads: string[] = [];
  const spec = (dir: string): RegistryModelSpec => ({
    dir,
    maxConcurrency: overrides.maxConcurrency ?? 2,
    load: { session },
  });
  const reg = new ModelRegistry({
    budgetBytes: overrides.budgetBytes ?? Math.floor(modelBytes * 2.5),
    measureRss: false,
    models: { a: spec(dirs.a), b: spec(dirs.b), c: spec(dirs.c) },
    loader: async (name, s) => {
      loads.push(name);
      return CausalLM.load(s.dir, s.load);
    },
  });
  return { reg, loads };
}

describe('ModelRegistry', () => {
  it('loads lazily, and once for concurrent requests', async () => {
    const { reg, loads } = registry();
    try {
      expect(reg.stats('a').state).toBe('unloaded');
      const [l1, l2] = await Promise.all([reg.acquire('a'), reg.acquire('a')]);
      expect(l1.model).toBe(l2.model);
      expect(loads).toEqual(['a']);
      expect(reg.stats('a')).toMatchObject({ state: 'loaded', active: 2, bytes: modelBytes });
      l1.release();
      l1.release();
      expect(reg.stats('a').active).toBe(1);
      l2.release();
      const text = await reg.use('a', (lm) =>
        lm.generateText('hi', { maxNewTokens: 3, ignoreEos: true }),
      );
      expect(text.tokens).toHaveLength(3);
      expect(loads).toEqual(['a']);
    } finally {
      await reg.dispose();
    }
  });

  it('evicts the least recently used idle model to fit the budget', async () => {
    const { reg, loads } = registry();
    try {
      for (const name of ['a', 'b', 'a']) (await reg.acquire(name)).release();
      expect(reg.usedBytes).toBe(2 * modelBytes);
      (await reg.acquire('c')).release();
      expect(reg.stats('b').state).toBe('unloaded');
      expect(reg.stats('a').state).toBe('loaded');
      expect(reg.stats('c').state).toBe('loaded');
      expect(reg.usedBytes).toBeLessThanOrEqual(reg.budgetBytes);
      expect(loads).toEqual(['a', 'b', 'c']);
    } finally {
      await reg.dispose();
    }
  });

  it('never evicts a model in use: a load waits until one is released', async () => {
    const { reg } = registry();
    try {
      const a = await reg.acquire('a');
      const b = await reg.acquire('b');
      let cReady = false;
      const c = reg.acquire('c').then((lease) => {
        cReady = true;
        return lease;
      });
      await new Promise((r) => setTimeout(r, 50));
      expect(cReady).toBe(false);
      expect(reg.stats('a').state).toBe('loaded');
      b.release();
      const cLease = await c;
      expect(reg.stats('b').state).toBe('unloaded');
      expect(reg.stats('a').state).toBe('loaded');
      const { logits } = await a.model.prefill([1, 2, 3]);
      expect(logits.vocab).toBe(a.model.vocabSize);
      a.release();
      cLease.release();
    } finally {
      await reg.dispose();
    }
  });

  it('queues callers beyond the concurrency limit', async () => {
    const { reg } = registry({ maxConcurrency: 1 });
    try {
      const first = await reg.acquire('a');
      const order: string[] = [];
      const second = reg.acquire('a').then((lease) => {
        order.push('second');
        return lease;
      });
      await new Promise((r) => setTimeout(r, 20));
      expect(reg.stats('a')).toMatchObject({ active: 1, queued: 1 });
      order.push('release');
      first.release();
      (await second).release();
      expect(order).toEqual(['release', 'second']);

      const held = await reg.acquire('a');
      const controller = new AbortController();
      const waiting = reg.acquire('a', { signal: controller.signal });
      controller.abort();
      expect(isSignalError(await waiting.catch((e: unknown) => e), 'REGISTRY_ABORTED')).toBe(true);
      held.release();
    } finally {
      await reg.dispose();
    }
  });

  it('refuses a model that alone exceeds the budget, unknown names, and use after dispose', async () => {
    const { reg } = registry({ budgetBytes: Math.floor(modelBytes / 2) });
    const over = await reg.acquire('a').catch((e: unknown) => e);
    expect(isSignalError(over, 'REGISTRY_OVER_BUDGET')).toBe(true);
    expect(reg.stats('a')).toMatchObject({ state: 'unloaded', active: 0, bytes: 0 });
    const unknown = await reg.acquire('zzz').catch((e: unknown) => e);
    expect(isSignalError(unknown, 'REGISTRY_UNKNOWN_MODEL')).toBe(true);
    await reg.dispose();
    expect(
      isSignalError(await reg.acquire('a').catch((e: unknown) => e), 'REGISTRY_DISPOSED'),
    ).toBe(true);
  });

  it('charges measured RSS growth when it exceeds the file sizes', async () => {
    const reg = new ModelRegistry({
      budgetBytes: 1 << 30,
      models: { a: { dir: dirs.a, load: { session } } },
    });
    try {
      (await reg.acquire('a')).release();
      expect(reg.stats('a').bytes).toBeGreaterThanOrEqual(modelBytes);
      expect(await reg.unload('a')).toBe(true);
      expect(reg.stats('a')).toMatchObject({ state: 'unloaded', bytes: 0 });
    } finally {
      await reg.dispose();
    }
  });
});

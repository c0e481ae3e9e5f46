import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { graftOnce } from '@signal/miner';
import { buildModel } from '@signal/runtime';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-graft-once-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('graftOnce', () => {
  it('shares one graft among concurrent callers and reuses it afterwards', async () => {
    const built = await buildModel({
      arch: 'llama',
      size: 'tiny',
      seed: 2,
      outDir: join(root, 'm'),
    });
    const first = graftOnce(built.dir);
    const second = graftOnce(`${built.dir}/`);
    expect(second).toBe(first);
    const graft = await first;
    expect(graft.reused).toBe(false);
    expect(graft.manifest.modules.length).toBeGreaterThan(0);
    const again = await graftOnce(built.dir);
    expect(again.reused).toBe(true);
    expect(again.dir).toBe(graft.dir);
    // Exactly one graft directory beside the model, no leftover temporaries.
    const siblings = (await readdir(dirname(built.dir))).filter(
      (name) => name !== basename(built.dir),
    );
    expect(siblings).toEqual([basename(graft.dir)]);
  });
});

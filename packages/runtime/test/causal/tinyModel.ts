import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, CausalLM, type RandomModelOptions } from '@signal/runtime';

/** Writes a builder model into a fresh temp dir and loads it single-threaded (tests share 2 cores). */
export async function tinyModel(
  options: Partial<Omit<RandomModelOptions, 'outDir'>> = {},
): Promise<{ lm: CausalLM; dir: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'signal-lm-'));
  const dir = join(root, 'model');
  await buildModel({ arch: 'llama', size: 'tiny', seed: 11, ...options, outDir: dir });
  const lm = await CausalLM.load(dir, { session: { intraOpThreads: 1, interOpThreads: 1 } });
  return {
    lm,
    dir,
    cleanup: async () => {
      await lm.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuildModelOptions, type BuiltModel, buildModel } from '@signal/runtime';

/** A temp root for builder-written directories of every layout, removed by `cleanup`. */
export async function layoutRoot(): Promise<{
  root: string;
  build: (name: string, options: Partial<BuildModelOptions>) => Promise<BuiltModel>;
  cleanup: () => Promise<void>;
}> {
  const root = await mkdtemp(join(tmpdir(), 'signal-layouts-'));
  return {
    root,
    build: (name, options) =>
      buildModel({
        arch: 'llama',
        size: 'tiny',
        seed: 17,
        ...options,
        outDir: join(root, name),
      } as BuildModelOptions),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

export const SESSION = { intraOpThreads: 1, interOpThreads: 1 } as const;

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

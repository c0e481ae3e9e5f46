import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, CausalLM } from '@signal/runtime';

export const MODEL_NAME = 'tiny-llama';

/** A builder model in a fresh temp dir, loaded single-threaded (tests share two cores). */
export async function tinyModel(): Promise<{
  dir: string;
  root: string;
  lm: CausalLM;
  cleanup: () => Promise<void>;
}> {
  const root = await mkdtemp(join(tmpdir(), 'signal-validator-'));
  const dir = join(root, 'model');
  await buildModel({ arch: 'llama', size: 'tiny', seed: 7, outDir: dir });
  const lm = await CausalLM.load(dir, { session: { intraOpThreads: 1, interOpThreads: 1 } });
  return {
    dir,
    root,
    lm,
    cleanup: async () => {
      await lm.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
}

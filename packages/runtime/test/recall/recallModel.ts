/** Builds the recall model into a temp dir and loads it single-threaded (tests share 2 cores). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuiltModel, buildModel, CausalLM } from '@signal/runtime';

export interface LoadedRecallModel {
  built: BuiltModel;
  lm: CausalLM;
  cleanup: () => Promise<void>;
}

export async function loadRecallModel(
  options: { exposeQueries?: boolean } = {},
): Promise<LoadedRecallModel> {
  const root = await mkdtemp(join(tmpdir(), 'signal-recall-'));
  const built = await buildModel({
    arch: 'llama',
    preset: 'recall',
    outDir: join(root, 'recall'),
    exposeQueries: options.exposeQueries ?? false,
  });
  const lm = await CausalLM.load(built.dir, { session: { intraOpThreads: 1, interOpThreads: 1 } });
  return {
    built,
    lm,
    cleanup: async () => {
      await lm.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
}

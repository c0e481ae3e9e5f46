import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { type BuildModelOptions, buildModel } from '@signal/runtime';

export interface EnsuredModel {
  readonly dir: string;
  /** False when the cache already held it. */
  readonly built: boolean;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** A model directory from the runtime's builder, built once into the cache directory. */
export async function ensureModel(
  dir: string,
  options: Omit<BuildModelOptions, 'outDir'>,
): Promise<EnsuredModel> {
  const complete = await Promise.all(
    ['config.json', 'tokenizer.json', join('onnx', 'model.onnx')].map((file) =>
      exists(join(dir, file)),
    ),
  );
  if (complete.every(Boolean)) return { dir, built: false };
  await buildModel({ ...options, outDir: dir } as BuildModelOptions);
  return { dir, built: true };
}

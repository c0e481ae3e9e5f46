import { join, resolve } from 'node:path';
import { readModel } from '@signal/runtime';
import type { LoraTarget } from '../peft/LoraAdapter';
import { findGraphLinears } from './findLoraTargets';
import { findModelFile } from './findModelFile';

/** Every linear layer of a model dir's decoder an adapter could target, with its sizes. */
export async function readModelLinears(modelDir: string): Promise<LoraTarget[]> {
  const dir = resolve(modelDir);
  const model = await readModel(join(dir, await findModelFile(dir)));
  return findGraphLinears(model.graph ?? {}).map(({ module, inFeatures, outFeatures }) => ({
    module,
    inFeatures,
    outFeatures,
  }));
}

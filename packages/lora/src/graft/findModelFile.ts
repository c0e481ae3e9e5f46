import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_FILE_CANDIDATES } from '@signal/runtime';
import { LoraError } from '../errors/LoraError';

/** The decoder's path relative to a model dir, in the runtime's lookup order. */
export async function findModelFile(modelDir: string): Promise<string> {
  for (const candidate of MODEL_FILE_CANDIDATES) {
    const found = await stat(join(modelDir, candidate)).then(
      (s) => s.isFile(),
      () => false,
    );
    if (found) return candidate;
  }
  throw new LoraError('LORA_GRAFT_INVALID', `No ONNX decoder in ${modelDir}`, {
    details: `looked for ${MODEL_FILE_CANDIDATES.join(', ')}`,
  });
}

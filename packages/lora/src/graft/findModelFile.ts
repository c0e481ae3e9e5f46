import { relative } from 'node:path';
import { resolveModelFiles } from '@signal/runtime';
import { LoraError } from '../errors/LoraError';

/** The decoder's path relative to a model dir, found by the runtime's resolver (any layout). */
export async function findModelFile(modelDir: string): Promise<string> {
  try {
    const { modelPath } = await resolveModelFiles(modelDir);
    return relative(modelDir, modelPath);
  } catch (cause) {
    throw new LoraError('LORA_GRAFT_INVALID', `No ONNX decoder in ${modelDir}`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
}

import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decodeModel } from './codec';
import { loadExternalData } from './externalData';
import { OnnxError } from './OnnxError';
import type { ModelProto } from './proto';

/** Reads an `.onnx` file, resolving external data next to it, into a self-contained model. */
export async function readModel(path: string): Promise<ModelProto> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new OnnxError('ONNX_FILE_UNREADABLE', `Cannot read ONNX model ${path}`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
  return loadExternalData(decodeModel(bytes), dirname(path));
}

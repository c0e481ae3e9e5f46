import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { encodeModel } from './codec';
import { type ExternalDataOptions, storeExternalData } from './externalData';
import { OnnxError } from './OnnxError';
import type { ModelProto } from './proto';

export interface WriteModelOptions {
  /** Move large tensors into a side file (required past protobuf's 2 GiB limit). */
  externalData?: ExternalDataOptions | boolean;
}

/** Writes a model to `path` (creating its folder), optionally with external data; the input is not mutated. */
export async function writeModel(
  model: ModelProto,
  path: string,
  options: WriteModelOptions = {},
): Promise<void> {
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true });
    let toEncode = model;
    if (options.externalData) {
      const settings = options.externalData === true ? {} : options.externalData;
      const location = settings.location ?? `${basename(path)}_data`;
      toEncode = storeExternalData(
        model,
        join(dir, location),
        location,
        settings.sizeThreshold ?? 1024,
      );
    }
    await writeFile(path, encodeModel(toEncode));
  } catch (cause) {
    if (cause instanceof OnnxError) throw cause;
    throw new OnnxError('ONNX_ENCODE_FAILED', `Cannot write ONNX model ${path}`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
}

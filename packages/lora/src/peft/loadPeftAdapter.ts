import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LoraError } from '../errors/LoraError';
import { readSafetensors } from '../safetensors/readSafetensors';
import type { LoraAdapter } from './LoraAdapter';
import { type ParsePeftAdapterOptions, parsePeftAdapter } from './parsePeftAdapter';

export const ADAPTER_CONFIG_FILE = 'adapter_config.json';
export const ADAPTER_WEIGHTS_FILE = 'adapter_model.safetensors';

async function readOrRefuse(path: string, name: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new LoraError('LORA_ADAPTER_NOT_FOUND', `Adapter "${name}" is missing ${path}`, {
      cause,
    });
  }
}

/** Reads a PEFT adapter directory (`adapter_config.json` + `adapter_model.safetensors`). */
export async function loadPeftAdapter(
  dir: string,
  options: ParsePeftAdapterOptions,
): Promise<LoraAdapter> {
  const configPath = join(dir, ADAPTER_CONFIG_FILE);
  const weightsPath = join(dir, ADAPTER_WEIGHTS_FILE);
  const [configBytes, weightBytes] = await Promise.all([
    readOrRefuse(configPath, options.name),
    readOrRefuse(weightsPath, options.name),
  ]);
  let rawConfig: unknown;
  try {
    rawConfig = JSON.parse(configBytes.toString('utf8'));
  } catch (cause) {
    throw new LoraError('LORA_CONFIG_INVALID', `${configPath} is not valid JSON`, { cause });
  }
  const weights = readSafetensors(
    new Uint8Array(weightBytes.buffer, weightBytes.byteOffset, weightBytes.byteLength),
    weightsPath,
  );
  return parsePeftAdapter(rawConfig, weights, options);
}

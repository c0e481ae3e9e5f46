import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SeededRandom } from '@signal/runtime';
import { LoraError } from '../errors/LoraError';
import { readModelLinears } from '../graft/readModelLinears';
import { type AdapterConfigInput, AdapterConfigSchema } from '../peft/AdapterConfig';
import type { LoraTarget } from '../peft/LoraAdapter';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE } from '../peft/loadPeftAdapter';
import { peftTensorKey } from '../peft/moduleNames';
import { isTargetModule, moduleScaling } from '../peft/targetMatching';
import type { SafetensorsDType } from '../safetensors/SafetensorsDType';
import type { TensorToWrite } from '../safetensors/SafetensorsFile';
import { writeSafetensors } from '../safetensors/writeSafetensors';

export type AdapterDType = 'fp32' | 'fp16' | 'bf16';

const DTYPES: Readonly<Record<AdapterDType, SafetensorsDType>> = {
  fp32: 'F32',
  fp16: 'F16',
  bf16: 'BF16',
};

export interface WriteTestAdapterOptions {
  readonly outDir: string;
  /** The base's linear layers; the config decides which of them the adapter wraps. */
  readonly targets: readonly LoraTarget[];
  readonly seed: number;
  /** PEFT config fields; `r` and `target_modules` at least. */
  readonly config: AdapterConfigInput;
  readonly dtype?: AdapterDType | undefined;
  /** Half-width of the uniform init; B is non-zero (unlike PEFT's init) so the adapter matters. */
  readonly amplitude?: number | undefined;
}

export interface WrittenTestAdapter {
  readonly dir: string;
  readonly modules: readonly string[];
}

/**
 * Writes a PEFT-format adapter with seeded weights: the config PEFT would save and a
 * safetensors file keyed `base_model.model.<module>.lora_{A,B}.weight` with A `[r, in]`
 * and B `[out, r]`.
 */
export async function writeTestAdapter(
  options: WriteTestAdapterOptions,
): Promise<WrittenTestAdapter> {
  const config = AdapterConfigSchema.parse({ peft_type: 'LORA', ...options.config });
  const random = new SeededRandom(options.seed);
  const amplitude = options.amplitude ?? 0.1;
  const dtype = DTYPES[options.dtype ?? 'fp32'];
  const fill = (count: number): Float32Array => {
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = (random.next() * 2 - 1) * amplitude;
    return data;
  };
  const tensors: TensorToWrite[] = [];
  const modules: string[] = [];
  for (const target of options.targets) {
    if (!isTargetModule(config, target.module)) continue;
    const { rank } = moduleScaling(config, target.module);
    modules.push(target.module);
    tensors.push({
      name: peftTensorKey(target.module, 'A'),
      dtype,
      shape: [rank, target.inFeatures],
      data: fill(rank * target.inFeatures),
    });
    tensors.push({
      name: peftTensorKey(target.module, 'B'),
      dtype,
      shape: [target.outFeatures, rank],
      data: fill(target.outFeatures * rank),
    });
  }
  if (modules.length === 0) {
    throw new LoraError(
      'LORA_TARGET_MISSING',
      `target_modules ${JSON.stringify(config.target_modules)} select no layer of the base`,
    );
  }
  await mkdir(options.outDir, { recursive: true });
  await writeFile(
    join(options.outDir, ADAPTER_CONFIG_FILE),
    `${JSON.stringify(config, null, 2)}\n`,
  );
  await writeFile(
    join(options.outDir, ADAPTER_WEIGHTS_FILE),
    writeSafetensors(tensors, { format: 'pt' }),
  );
  return { dir: options.outDir, modules };
}

/** `writeTestAdapter` for a base model directory: its linear layers are read from the decoder. */
export async function buildTestAdapter(
  modelDir: string,
  options: Omit<WriteTestAdapterOptions, 'targets'>,
): Promise<WrittenTestAdapter> {
  return writeTestAdapter({ ...options, targets: await readModelLinears(modelDir) });
}

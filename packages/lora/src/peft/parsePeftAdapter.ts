import { LoraError } from '../errors/LoraError';
import type { SafetensorsFile } from '../safetensors/SafetensorsFile';
import { type AdapterConfig, AdapterConfigSchema } from './AdapterConfig';
import type { LoraAdapter, LoraModuleWeights, LoraTarget } from './LoraAdapter';
import { type LoraPart, parsePeftTensorKey } from './moduleNames';
import { isTargetModule, moduleScaling } from './targetMatching';

export interface ParsePeftAdapterOptions {
  readonly name: string;
  /** The linear layers the grafted base exposes, by module path. */
  readonly targets: ReadonlyMap<string, LoraTarget>;
  /** Largest rank the caller accepts (e.g. the graft's `maxRank`). */
  readonly maxRank?: number | undefined;
}

/** Validates `adapter_config.json`, refusing features whose math we do not implement. */
export function parseAdapterConfig(raw: unknown, name: string): AdapterConfig {
  const parsed = AdapterConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LoraError(
      'LORA_CONFIG_INVALID',
      `adapter_config.json of "${name}" is invalid at ${issue?.path.join('.') || '<root>'}: ${issue?.message}`,
    );
  }
  const config = parsed.data;
  if (config.use_dora) {
    throw new LoraError(
      'LORA_UNSUPPORTED',
      `Adapter "${name}" uses DoRA (use_dora), which is unsupported`,
      {
        details:
          'DoRA rescales the merged weight per column; only plain LoRA grafts as two MatMuls.',
      },
    );
  }
  if (config.modules_to_save !== null && config.modules_to_save.length > 0) {
    throw new LoraError(
      'LORA_UNSUPPORTED',
      `Adapter "${name}" replaces whole modules (modules_to_save: ${config.modules_to_save.join(', ')}), which is unsupported`,
    );
  }
  if (config.bias !== 'none') {
    throw new LoraError(
      'LORA_UNSUPPORTED',
      `Adapter "${name}" trains biases (bias: ${config.bias}), which is unsupported`,
    );
  }
  if (config.target_modules === null) {
    throw new LoraError(
      'LORA_CONFIG_INVALID',
      `adapter_config.json of "${name}" has no target_modules`,
    );
  }
  return config;
}

function allFinite(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return false;
  return true;
}

function transpose(src: Float32Array, rows: number, cols: number, scale: number): Float32Array {
  const out = new Float32Array(src.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c]! * scale;
  }
  return out;
}

/**
 * Turns a PEFT adapter (config + decoded weights) into graft-ready factors. PEFT stores
 * `lora_A.weight` as `[r, in]` and `lora_B.weight` as `[out, r]` whatever `fan_in_fan_out`
 * says (that flag only describes how the *base* weight is laid out, which the graph already
 * fixes as `[in, out]`), so both are transposed here and the scale is folded into B.
 */
export function parsePeftAdapter(
  rawConfig: unknown,
  weights: SafetensorsFile,
  options: ParsePeftAdapterOptions,
): LoraAdapter {
  const { name, targets } = options;
  const config = parseAdapterConfig(rawConfig, name);
  const factors = new Map<
    string,
    Partial<Record<LoraPart, { shape: readonly number[]; data: Float32Array }>>
  >();
  for (const [key, tensor] of weights.tensors) {
    const parsed = parsePeftTensorKey(key);
    if (!parsed) {
      throw new LoraError(
        'LORA_UNSUPPORTED',
        `Adapter "${name}" has tensor "${key}", which is not a LoRA A/B weight`,
        {
          details: 'Embedding LoRA, DoRA magnitudes, biases and saved modules are unsupported.',
        },
      );
    }
    const entry = factors.get(parsed.module) ?? {};
    entry[parsed.part] = tensor;
    factors.set(parsed.module, entry);
  }
  if (factors.size === 0) {
    throw new LoraError('LORA_CONFIG_INVALID', `Adapter "${name}" has no LoRA weights`);
  }
  const modules = new Map<string, LoraModuleWeights>();
  let byteLength = 0;
  let maxRank = 0;
  for (const [module, { A, B }] of factors) {
    if (!A || !B) {
      throw new LoraError(
        'LORA_SAFETENSORS_INVALID',
        `Adapter "${name}" has lora_${A ? 'B' : 'A'} missing for module ${module}`,
      );
    }
    if (!isTargetModule(config, module)) {
      throw new LoraError(
        'LORA_CONFIG_INVALID',
        `Adapter "${name}" has weights for module ${module}, which its target_modules/layers_to_transform do not select`,
      );
    }
    const target = targets.get(module);
    if (!target) {
      throw new LoraError(
        'LORA_TARGET_MISSING',
        `Adapter "${name}" targets module ${module}, which the grafted base lacks`,
        {
          details: `Grafted modules: ${[...targets.keys()].slice(0, 8).join(', ')}${targets.size > 8 ? ', ...' : ''}`,
        },
      );
    }
    const { rank, scale } = moduleScaling(config, module);
    const expectA = [rank, target.inFeatures];
    const expectB = [target.outFeatures, rank];
    if (A.shape.join() !== expectA.join() || B.shape.join() !== expectB.join()) {
      throw new LoraError(
        'LORA_SHAPE_MISMATCH',
        `Adapter "${name}" does not fit module ${module}`,
        {
          details: `lora_A is [${A.shape}] and lora_B is [${B.shape}]; the base needs [${expectA}] and [${expectB}] (rank ${rank})`,
        },
      );
    }
    if (options.maxRank !== undefined && rank > options.maxRank) {
      throw new LoraError(
        'LORA_RANK_EXCEEDED',
        `Adapter "${name}" has rank ${rank} at module ${module}, above the limit ${options.maxRank}`,
      );
    }
    if (!allFinite(A.data) || !allFinite(B.data)) {
      throw new LoraError(
        'LORA_SAFETENSORS_INVALID',
        `Adapter "${name}" has non-finite weights in module ${module}`,
      );
    }
    const a = transpose(A.data, rank, target.inFeatures, 1);
    const b = transpose(B.data, target.outFeatures, rank, scale);
    modules.set(module, { ...target, rank, scale, a, b });
    byteLength += a.byteLength + b.byteLength;
    maxRank = Math.max(maxRank, rank);
  }
  if (Array.isArray(config.target_modules)) {
    for (const target of config.target_modules) {
      const found = [...modules.keys()].some((m) => m === target || m.endsWith(`.${target}`));
      if (!found) {
        throw new LoraError(
          'LORA_TARGET_MISSING',
          `Adapter "${name}" lists target module ${target} but carries no weights for it`,
        );
      }
    }
  }
  return { name, config, modules, maxRank, byteLength };
}

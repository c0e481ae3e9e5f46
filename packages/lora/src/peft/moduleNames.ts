/**
 * The three spellings of one linear layer: PEFT's state-dict keys
 * (`base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight`), the module path
 * (`model.layers.0.self_attn.q_proj`, also the stem of the builder's initializer
 * `model.layers.0.self_attn.q_proj.weight`) and optimum's node name
 * (`/model/layers.0/self_attn/q_proj/MatMul`, where a list index stays on its parent);
 * onnxruntime-genai's `attn` scope and node-named weights map onto the same module paths.
 */

export type LoraPart = 'A' | 'B';

const PEFT_PREFIX = 'base_model.model.';
const PEFT_KEY = /^base_model\.model\.(.+)\.lora_(A|B)(?:\.[A-Za-z0-9_-]+)?\.weight$/;

export function peftTensorKey(module: string, part: LoraPart): string {
  return `${PEFT_PREFIX}${module}.lora_${part}.weight`;
}

/** Splits a PEFT key into module and part; undefined for keys that are not LoRA A/B weights. */
export function parsePeftTensorKey(key: string): { module: string; part: LoraPart } | undefined {
  const match = PEFT_KEY.exec(key);
  if (!match) return undefined;
  return { module: match[1]!, part: match[2] as LoraPart };
}

export function moduleToNodeName(module: string): string {
  const scopes: string[] = [];
  for (const part of module.split('.')) {
    if (/^\d+$/.test(part) && scopes.length > 0) scopes[scopes.length - 1] += `.${part}`;
    else scopes.push(part);
  }
  return `/${scopes.join('/')}/MatMul`;
}

/** The module a MatMul node belongs to, or undefined when the name is not optimum-style. */
export function nodeNameToModule(nodeName: string): string | undefined {
  const match = /^\/(.+)\/MatMul(?:_\d+)?$/.exec(nodeName);
  return match ? fromGenai(match[1]!.split('/').join('.')) : undefined;
}

/**
 * The module a weight belongs to: the initializer's stem (`model.layers.0.self_attn.q_proj.weight`),
 * or for onnxruntime-genai, which names weights after their node and calls HF's `self_attn`
 * `attn` (`model.layers.0.attn.q_proj.MatMul.weight`), the HF module PEFT names
 * (`model.layers.0.self_attn.q_proj`).
 */
export function initializerToModule(initializer: string): string | undefined {
  if (!initializer.endsWith('.weight')) return undefined;
  const stem = initializer.slice(0, -'.weight'.length);
  return fromGenai(stem.endsWith('.MatMul') ? stem.slice(0, -'.MatMul'.length) : stem);
}

/** genai's `model.layers.N.attn.*` is HF's `model.layers.N.self_attn.*`. */
function fromGenai(module: string): string {
  return module.replace(/^(model\.layers\.\d+)\.attn\./, '$1.self_attn.');
}

/** Graph input names for a module's adapter factors. */
export function loraInputName(module: string, part: LoraPart): string {
  return `${module}.lora_${part}`;
}

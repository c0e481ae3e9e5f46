import { type ModelDir, MS_DOMAIN } from '@signal/runtime';

/** What decides whether a decoder can take a graft, read without its weights. */
export type GraftableModel = Pick<ModelDir, 'dtype' | 'graph'>;

/**
 * Why LoRA cannot be grafted onto a model's decoder, or undefined when it can. The graft adds
 * `x·A·B` beside each float32 `MatMul(x, W)` whose W is an initializer, one per PEFT module:
 * int4 `MatMulNBits` blocks, int8 weights (`DequantizeLinear`, `MatMulInteger`), float16
 * weights and a packed `qkv_proj` (one projection for PEFT's three q/k/v modules) leave it
 * nothing to attach an adapter's factors to.
 */
export function loraGraftBlocker(model: GraftableModel): string | undefined {
  const { ops, gqa } = model.graph;
  if (ops.has(`${MS_DOMAIN}:MatMulNBits`))
    return 'its linear layers are int4 MatMulNBits blocks (a q4 variant), and a LoRA graft needs float32 MatMul weights';
  if (ops.has(':DequantizeLinear') || ops.has(':MatMulInteger'))
    return 'its linear layers hold int8 weights (a q8 variant), and a LoRA graft needs float32 MatMul weights';
  if (model.dtype === 'fp16' || model.dtype === 'q4f16')
    return `its weights are float16 (the ${model.dtype} variant), and a LoRA graft needs float32 MatMul weights`;
  if (gqa.some((node) => node.packedQkv))
    return 'it computes Q, K and V in one packed qkv_proj, and a LoRA adapter has separate q_proj, k_proj and v_proj factors';
  return undefined;
}

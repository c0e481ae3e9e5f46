import type { LoraTarget } from '@signal/lora';

/** The linear layers of a small two-layer llama, as a grafted base would list them. */
export function llamaTargets(layers = 2, hidden = 16, intermediate = 32, kvDim = 8): LoraTarget[] {
  const out: LoraTarget[] = [];
  for (let i = 0; i < layers; i++) {
    const p = `model.layers.${i}`;
    out.push(
      { module: `${p}.self_attn.q_proj`, inFeatures: hidden, outFeatures: hidden },
      { module: `${p}.self_attn.k_proj`, inFeatures: hidden, outFeatures: kvDim },
      { module: `${p}.self_attn.v_proj`, inFeatures: hidden, outFeatures: kvDim },
      { module: `${p}.self_attn.o_proj`, inFeatures: hidden, outFeatures: hidden },
      { module: `${p}.mlp.gate_proj`, inFeatures: hidden, outFeatures: intermediate },
      { module: `${p}.mlp.up_proj`, inFeatures: hidden, outFeatures: intermediate },
      { module: `${p}.mlp.down_proj`, inFeatures: intermediate, outFeatures: hidden },
    );
  }
  return out;
}

export const targetMap = (targets: LoraTarget[]) => new Map(targets.map((t) => [t.module, t]));

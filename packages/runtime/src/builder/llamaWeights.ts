import type { LlamaConfig } from './LlamaConfig';
import { Prng } from './prng';

/** One checkpoint tensor: its shape as stored in the ONNX graph and its values. */
export interface Weight {
  dims: number[];
  values: Float32Array;
}

/**
 * Seeded weights named as in a Hugging Face Llama checkpoint. Projection weights are
 * stored as MatMul consumes them, `[in, out]` (the transpose of torch's `nn.Linear`
 * layout), as optimum exports do. Scales keep activations O(1) and give logits a spread
 * of a few nats, so sampling and argmax are not degenerate; norm weights are perturbed
 * around 1 so a forgotten norm weight shows up in tests.
 */
export function llamaWeights(config: LlamaConfig, seed: number): Map<string, Weight> {
  const h = config.hidden_size;
  const qDim = config.num_attention_heads * config.head_dim;
  const kvDim = config.num_key_value_heads * config.head_dim;
  const ffn = config.intermediate_size;
  const weights = new Map<string, Weight>();

  const normal = (name: string, dims: number[], std: number, mean = 0) => {
    const count = dims.reduce((a, b) => a * b, 1);
    weights.set(name, { dims, values: Prng.forTensor(seed, name).normal(count, std, mean) });
  };
  const linear = (name: string, inDim: number, outDim: number) =>
    normal(name, [inDim, outDim], 1 / Math.sqrt(inDim));

  normal(
    'model.embed_tokens.weight',
    [config.vocab_size, h],
    config.tie_word_embeddings ? 2.5 / Math.sqrt(h) : 1,
  );
  for (let layer = 0; layer < config.num_hidden_layers; layer++) {
    const p = `model.layers.${layer}`;
    normal(`${p}.input_layernorm.weight`, [h], 0.1, 1);
    linear(`${p}.self_attn.q_proj.weight`, h, qDim);
    linear(`${p}.self_attn.k_proj.weight`, h, kvDim);
    linear(`${p}.self_attn.v_proj.weight`, h, kvDim);
    linear(`${p}.self_attn.o_proj.weight`, qDim, h);
    normal(`${p}.post_attention_layernorm.weight`, [h], 0.1, 1);
    linear(`${p}.mlp.gate_proj.weight`, h, ffn);
    linear(`${p}.mlp.up_proj.weight`, h, ffn);
    linear(`${p}.mlp.down_proj.weight`, ffn, h);
  }
  normal('model.norm.weight', [h], 0.1, 1);
  if (!config.tie_word_embeddings)
    normal('lm_head.weight', [h, config.vocab_size], 2.5 / Math.sqrt(h));
  return weights;
}

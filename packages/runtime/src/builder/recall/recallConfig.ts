import type { LlamaConfig, SpecialTokenIds } from '../LlamaConfig';
import { RECALL_LAYOUT } from './recallLayout';

/**
 * The recall model's `LlamaConfig`: two layers of two attention heads (two kv heads), and
 * SwiGLU MLPs of one unit per value (layer 1's gates the tally into the answer; layer 2's is
 * zero, kept so the graph is the ordinary Llama graph).
 */
export function recallConfig(tokens: SpecialTokenIds): LlamaConfig {
  return {
    model_type: 'llama',
    architectures: ['LlamaForCausalLM'],
    hidden_size: RECALL_LAYOUT.hiddenSize,
    intermediate_size: RECALL_LAYOUT.mlpUnits,
    num_hidden_layers: 2,
    num_attention_heads: RECALL_LAYOUT.heads,
    num_key_value_heads: RECALL_LAYOUT.heads,
    head_dim: RECALL_LAYOUT.headDim,
    vocab_size: tokens.vocabSize,
    max_position_embeddings: RECALL_LAYOUT.maxPositions,
    rope_theta: RECALL_LAYOUT.ropeTheta,
    rms_norm_eps: 1e-5,
    tie_word_embeddings: false,
    hidden_act: 'silu',
    attention_bias: false,
    mlp_bias: false,
    initializer_range: 0.02,
    bos_token_id: tokens.bos,
    eos_token_id: tokens.eos,
    pad_token_id: tokens.pad,
    torch_dtype: 'float32',
    use_cache: true,
  };
}

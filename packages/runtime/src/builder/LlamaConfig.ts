/** The Hugging Face `LlamaConfig` fields the builder writes to `config.json`. */
export interface LlamaConfig {
  model_type: 'llama';
  architectures: ['LlamaForCausalLM'];
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  head_dim: number;
  vocab_size: number;
  max_position_embeddings: number;
  rope_theta: number;
  rms_norm_eps: number;
  tie_word_embeddings: boolean;
  hidden_act: 'silu';
  attention_bias: false;
  mlp_bias: false;
  initializer_range: number;
  bos_token_id: number;
  eos_token_id: number;
  pad_token_id: number;
  torch_dtype: 'float32';
  use_cache: true;
  /** transformers.js reads which graphs keep their weights in `*.onnx_data` from here. */
  'transformers.js_config'?: { use_external_data_format: Record<string, number> };
}

export type ModelSize = 'tiny' | 'small';

/** Shapes per size: GQA with fewer kv heads than heads in both, so repeat-kv is exercised. */
const SHAPES: Record<
  ModelSize,
  Pick<
    LlamaConfig,
    | 'hidden_size'
    | 'intermediate_size'
    | 'num_hidden_layers'
    | 'num_attention_heads'
    | 'num_key_value_heads'
    | 'head_dim'
  >
> = {
  tiny: {
    hidden_size: 64,
    intermediate_size: 128,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    head_dim: 16,
  },
  small: {
    hidden_size: 256,
    intermediate_size: 512,
    num_hidden_layers: 4,
    num_attention_heads: 8,
    num_key_value_heads: 2,
    head_dim: 32,
  },
};

export interface SpecialTokenIds {
  bos: number;
  eos: number;
  pad: number;
  vocabSize: number;
}

export function llamaConfig(
  size: ModelSize,
  tokens: SpecialTokenIds,
  tieWordEmbeddings: boolean,
): LlamaConfig {
  return {
    model_type: 'llama',
    architectures: ['LlamaForCausalLM'],
    ...SHAPES[size],
    vocab_size: tokens.vocabSize,
    max_position_embeddings: 2048,
    rope_theta: 10000,
    rms_norm_eps: 1e-5,
    tie_word_embeddings: tieWordEmbeddings,
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

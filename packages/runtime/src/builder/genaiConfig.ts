import type { GenaiConfigInput } from '../model/GenaiConfig';
import type { LlamaConfig, SpecialTokenIds } from './LlamaConfig';

/** The `genai_config.json` onnxruntime-genai's model builder writes beside a decoder. */
export function genaiConfig(
  config: LlamaConfig,
  tokens: SpecialTokenIds,
  maxLength: number,
): GenaiConfigInput {
  return {
    model: {
      bos_token_id: tokens.bos,
      context_length: config.max_position_embeddings,
      decoder: {
        session_options: { log_id: 'onnxruntime-genai', provider_options: [] },
        filename: 'model.onnx',
        head_size: config.head_dim,
        hidden_size: config.hidden_size,
        inputs: {
          input_ids: 'input_ids',
          attention_mask: 'attention_mask',
          past_key_names: 'past_key_values.%d.key',
          past_value_names: 'past_key_values.%d.value',
        },
        outputs: {
          logits: 'logits',
          present_key_names: 'present.%d.key',
          present_value_names: 'present.%d.value',
        },
        num_attention_heads: config.num_attention_heads,
        num_hidden_layers: config.num_hidden_layers,
        num_key_value_heads: config.num_key_value_heads,
      },
      eos_token_id: tokens.eos,
      pad_token_id: tokens.pad,
      type: config.model_type,
      vocab_size: config.vocab_size,
    },
    search: {
      do_sample: false,
      max_length: maxLength,
      num_beams: 1,
      past_present_share_buffer: false,
    },
  };
}

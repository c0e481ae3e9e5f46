import { attribute } from '../onnx/attribute';
import { DataType } from '../onnx/dataType';
import type { GraphBuilder } from './GraphBuilder';
import type { LlamaConfig } from './LlamaConfig';

/** What every GroupQueryAttention node of a graph shares: lengths from the mask and the RoPE tables. */
export interface GqaShared {
  /** int32 `[batch]`: index of each row's last token, `sum(attention_mask) - 1`. */
  seqlensK: string;
  /** int32 scalar: the mask's length, past + new. */
  totalLength: string;
  /** `[max_position_embeddings, head_dim / 2]` float32 initializers. */
  cosCache: string;
  sinCache: string;
}

/**
 * The inputs onnxruntime-genai's model builder derives once per graph for its GQA nodes:
 * `seqlens_k` and `total_sequence_length` from `attention_mask`, and the `cos_cache` /
 * `sin_cache` RoPE tables (non-interleaved halves, as HF Llama's `rotate_half`).
 */
export function gqaShared(g: GraphBuilder, config: LlamaConfig): GqaShared {
  const scope = '/model/attn_mask_reformat/attn_mask_subgraph';
  const sum = g.op(
    `${scope}/ReduceSum`,
    'ReduceSum',
    ['attention_mask', g.int64([1])],
    [attribute.int('keepdims', 0)],
  );
  const last = g.op(`${scope}/Sub`, 'Sub', [sum, g.int64([1], [])]);
  const seqlensK = g.op(`${scope}/Sub/Cast`, 'Cast', [last], [attribute.int('to', DataType.INT32)]);
  const shape = g.op(
    `${scope}/Shape`,
    'Shape',
    ['attention_mask'],
    [attribute.int('start', 1), attribute.int('end', 2)],
  );
  const length = g.op(`${scope}/Squeeze`, 'Squeeze', [shape, g.int64([0])]);
  const totalLength = g.op(
    `${scope}/Squeeze/Cast`,
    'Cast',
    [length],
    [attribute.int('to', DataType.INT32)],
  );

  const half = config.head_dim / 2;
  const positions = config.max_position_embeddings;
  const cos = new Float32Array(positions * half);
  const sin = new Float32Array(positions * half);
  for (let i = 0; i < half; i++) {
    // float32 throughout, as the optimum graph computes position_ids · inv_freq in float32.
    const invFreq = Math.fround(config.rope_theta ** ((-2 * i) / config.head_dim));
    for (let p = 0; p < positions; p++) {
      const angle = Math.fround(p * invFreq);
      cos[p * half + i] = Math.cos(angle);
      sin[p * half + i] = Math.sin(angle);
    }
  }
  return {
    seqlensK,
    totalLength,
    cosCache: g.weight('cos_cache', [positions, half], cos),
    sinCache: g.weight('sin_cache', [positions, half], sin),
  };
}

/**
 * One `com.microsoft.GroupQueryAttention` node with rotary inside the op, BNSH caches
 * `past_key_values.N.*` → `present.N.*`, as onnxruntime-genai writes it. Takes and returns
 * `[batch, seq, heads · head_dim]`; with `k` and `v` empty, `q` is the packed
 * `[batch, seq, (heads + 2 · kv_heads) · head_dim]` projection.
 */
export function groupQueryAttention(
  g: GraphBuilder,
  scope: string,
  layer: number,
  qkv: { q: string; k: string; v: string },
  shared: GqaShared,
  config: LlamaConfig,
): string {
  const [output] = g.contrib(
    `${scope}/GroupQueryAttention`,
    'GroupQueryAttention',
    [
      qkv.q,
      qkv.k,
      qkv.v,
      `past_key_values.${layer}.key`,
      `past_key_values.${layer}.value`,
      shared.seqlensK,
      shared.totalLength,
      shared.cosCache,
      shared.sinCache,
    ],
    [
      attribute.int('num_heads', config.num_attention_heads),
      attribute.int('kv_num_heads', config.num_key_value_heads),
      attribute.int('do_rotary', 1),
      attribute.int('rotary_interleaved', 0),
      attribute.int('local_window_size', -1),
      attribute.float('scale', 1 / Math.sqrt(config.head_dim)),
    ],
    [`${scope}/GroupQueryAttention_output_0`, `present.${layer}.key`, `present.${layer}.value`],
  );
  return output!;
}

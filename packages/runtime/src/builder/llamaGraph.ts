import { attribute } from '../onnx/attribute';
import { DataType } from '../onnx/dataType';
import { MS_DOMAIN } from '../onnx/domains';
import type { ModelProto, ValueInfoProto } from '../onnx/proto';
import { GraphBuilder, valueInfo } from './GraphBuilder';
import { gqaShared, groupQueryAttention } from './groupQueryAttention';
import type { LlamaConfig } from './LlamaConfig';
import type { Weight } from './llamaWeights';
import { projection } from './projection';
import { isProjectionWeight, type WeightPrecision } from './WeightPrecision';

/**
 * How attention is written: `standard` ONNX ops with RoPE from `position_ids` (optimum,
 * onnx-community), or `group-query`: one `com.microsoft.GroupQueryAttention` per layer with
 * rotary inside the op and no `position_ids` input (onnxruntime-genai's model builder).
 */
export type AttentionStyle = 'standard' | 'group-query';

export interface LlamaGraphOptions {
  /** Take `inputs_embeds` instead of `input_ids` (the onnx-community multimodal decoder layout). */
  inputsEmbeds: boolean;
  /** Add the int64 scalar input `num_logits_to_keep` (0 keeps every position). */
  numLogitsToKeep: boolean;
  /** Add outputs `queries.N`: post-RoPE queries `[batch, heads, seq, head_dim]` (standard attention only). */
  exposeQueries: boolean;
  /** How projection weights are stored; `fp16` also makes caches and logits float16. */
  precision: WeightPrecision;
  attention: AttentionStyle;
  /** group-query only: one `qkv_proj` MatMul feeding the op its packed query input. */
  packedQkv: boolean;
}

/** The opset the graphs target: standard ONNX ops only, so ORT's CPU provider runs them. */
export const LLAMA_OPSET = 17;

/** HF's additive mask value (`torch.finfo(float32).min`): finite, so fully masked rows stay NaN-free. */
const MASK_MIN = -3.4028234663852886e38;

const PAST_SEQ = 'past_sequence_length';
const TOTAL_SEQ = 'total_sequence_length';
const PRESENT_SEQ = 'past_sequence_length + sequence_length';

/** RMSNorm as HF Llama computes it: `w · x / sqrt(mean(x²) + eps)`. */
function rmsNorm(g: GraphBuilder, scope: string, x: string, weight: string, eps: number): string {
  const squared = g.op(`${scope}/Pow`, 'Pow', [x, g.float([2], [])]);
  const mean = g.op(
    `${scope}/ReduceMean`,
    'ReduceMean',
    [squared],
    [attribute.ints('axes', [-1]), attribute.int('keepdims', 1)],
  );
  const shifted = g.op(`${scope}/Add`, 'Add', [mean, g.float([eps], [])]);
  const root = g.op(`${scope}/Sqrt`, 'Sqrt', [shifted]);
  const inverse = g.op(`${scope}/Div`, 'Div', [g.float([1], []), root]);
  const normed = g.op(`${scope}/Mul`, 'Mul', [x, inverse]);
  return g.op(`${scope}/Mul_1`, 'Mul', [weight, normed]);
}

/** `x·cos + rotate_half(x)·sin`, where rotate_half(x) = concat(−x₂, x₁) over the last axis. */
function rope(
  g: GraphBuilder,
  scope: string,
  x: string,
  cos: string,
  sin: string,
  headDim: number,
) {
  const [first, second] = g.node(
    `${scope}/Split`,
    'Split',
    [x, g.int64([headDim / 2, headDim / 2])],
    [attribute.int('axis', -1)],
    2,
  );
  const negated = g.op(`${scope}/Neg`, 'Neg', [second!]);
  const rotated = g.op(`${scope}/Concat`, 'Concat', [negated, first!], [attribute.int('axis', -1)]);
  const withCos = g.op(`${scope}/Mul`, 'Mul', [x, cos]);
  const withSin = g.op(`${scope}/Mul_1`, 'Mul', [rotated, sin]);
  return g.op(`${scope}/Add`, 'Add', [withCos, withSin]);
}

/** `[batch, seq, heads·head_dim]` → `[batch, heads, seq, head_dim]`. */
function splitHeads(g: GraphBuilder, scope: string, x: string, heads: number, headDim: number) {
  const reshaped = g.op(`${scope}/Reshape`, 'Reshape', [x, g.int64([0, 0, heads, headDim])]);
  return g.op(
    `${scope}/Transpose`,
    'Transpose',
    [reshaped],
    [attribute.ints('perm', [0, 2, 1, 3])],
  );
}

/**
 * Builds the decoder graph with optimum's I/O names and node naming. Attention masks by
 * index over the concatenated key axis — query i (at absolute index past_len + i) sees key
 * j iff attention_mask[j] = 1 and j ≤ past_len + i — and positions come only from
 * `position_ids`, so a pruned cache whose keys were rotated at their original positions
 * keeps working.
 */
export function llamaGraph(
  config: LlamaConfig,
  weights: ReadonlyMap<string, Weight>,
  options: LlamaGraphOptions,
): ModelProto {
  const g = new GraphBuilder();
  const heads = config.num_attention_heads;
  const kvHeads = config.num_key_value_heads;
  const headDim = config.head_dim;
  const groups = heads / kvHeads;
  const eps = config.rms_norm_eps;
  const layers = config.num_hidden_layers;
  // A decoder fed `inputs_embeds` never gathers from the table; it keeps it only when lm_head is tied to it.
  const unused =
    options.inputsEmbeds && !config.tie_word_embeddings ? 'model.embed_tokens.weight' : undefined;
  for (const [name, weight] of weights) {
    if (name !== unused && !isProjectionWeight(name)) g.weight(name, weight.dims, weight.values);
  }
  const linear = (node: string, x: string, name: string, output?: string) =>
    projection(g, node, x, name, weights.get(name)!, options.precision, output);
  const gqa = options.attention === 'group-query';
  const kvType = options.precision === 'fp16' ? DataType.FLOAT16 : DataType.FLOAT;

  const inputs: ValueInfoProto[] = [];
  let hidden: string;
  if (options.inputsEmbeds) {
    inputs.push(
      valueInfo('inputs_embeds', DataType.FLOAT, [
        'batch_size',
        'sequence_length',
        config.hidden_size,
      ]),
    );
    hidden = 'inputs_embeds';
  } else {
    inputs.push(valueInfo('input_ids', DataType.INT64, ['batch_size', 'sequence_length']));
    hidden = g.op('/model/embed_tokens/Gather', 'Gather', [
      'model.embed_tokens.weight',
      'input_ids',
    ]);
  }
  inputs.push(valueInfo('attention_mask', DataType.INT64, ['batch_size', TOTAL_SEQ]));
  if (!gqa)
    inputs.push(valueInfo('position_ids', DataType.INT64, ['batch_size', 'sequence_length']));
  // float16 caches enter as float16 and are widened once; the math stays float32.
  const past = (layer: number, kind: string) => {
    const name = `past_key_values.${layer}.${kind}`;
    if (kvType === DataType.FLOAT) return name;
    return g.op(
      `/model/layers.${layer}/self_attn/past_${kind}/Cast`,
      'Cast',
      [name],
      [attribute.int('to', DataType.FLOAT)],
    );
  };
  for (let layer = 0; layer < layers; layer++) {
    for (const kind of ['key', 'value']) {
      inputs.push(
        valueInfo(`past_key_values.${layer}.${kind}`, kvType, [
          'batch_size',
          kvHeads,
          PAST_SEQ,
          headDim,
        ]),
      );
    }
  }
  if (options.numLogitsToKeep) inputs.push(valueInfo('num_logits_to_keep', DataType.INT64, []));
  const outputs: ValueInfoProto[] = [];
  const queryOutputs: ValueInfoProto[] = [];
  const presentInfo = (name: string) =>
    valueInfo(name, kvType, ['batch_size', kvHeads, PRESENT_SEQ, headDim]);

  if (gqa) {
    // onnxruntime-genai's names: `/model/layers.N/attn/...`, each weight named after its
    // node (`model.layers.N.attn.q_proj.MatMul.weight`), and int4 nodes suffixed `_Q4`, as
    // ORT's MatMul4BitsQuantizer renames the MatMuls it replaces.
    const genaiLinear: Linear = (node, x, name, output) =>
      projection(
        g,
        options.precision === 'q4' ? `${node}_Q4` : node,
        x,
        `${node.slice(1).replaceAll('/', '.')}.weight`,
        weights.get(name)!,
        options.precision,
        output,
      );
    const shared = gqaShared(g, config);
    for (let layer = 0; layer < layers; layer++) {
      const p = `/model/layers.${layer}`;
      const w = `model.layers.${layer}`;
      const attnIn = rmsNorm(g, `${p}/input_layernorm`, hidden, `${w}.input_layernorm.weight`, eps);
      const a = `${p}/attn`;
      const qkv = options.packedQkv
        ? {
            q: projection(
              g,
              options.precision === 'q4' ? `${a}/qkv_proj/MatMul_Q4` : `${a}/qkv_proj/MatMul`,
              attnIn,
              `${w}.attn.qkv_proj.MatMul.weight`,
              packColumns(
                ['q', 'k', 'v'].map((m) => weights.get(`${w}.self_attn.${m}_proj.weight`)!),
              ),
              options.precision,
            ),
            k: '',
            v: '',
          }
        : {
            q: genaiLinear(`${a}/q_proj/MatMul`, attnIn, `${w}.self_attn.q_proj.weight`),
            k: genaiLinear(`${a}/k_proj/MatMul`, attnIn, `${w}.self_attn.k_proj.weight`),
            v: genaiLinear(`${a}/v_proj/MatMul`, attnIn, `${w}.self_attn.v_proj.weight`),
          };
      const attended = groupQueryAttention(g, a, layer, qkv, shared, config);
      outputs.push(presentInfo(`present.${layer}.key`), presentInfo(`present.${layer}.value`));
      const attnOut = genaiLinear(`${a}/o_proj/MatMul`, attended, `${w}.self_attn.o_proj.weight`);
      hidden = mlpBlock(g, p, w, g.op(`${p}/Add`, 'Add', [hidden, attnOut]), genaiLinear, eps);
    }
    return finish(g, config, hidden, options, inputs, outputs, queryOutputs, eps, genaiLinear);
  }

  // Mask [batch, 1, 1, seq, total] (broadcast over kv heads and their query groups).
  const scalar = (name: string, x: string, start: number) => {
    const dims = g.op(
      `/model/attn_mask/${name}/Shape`,
      'Shape',
      [x],
      [attribute.int('start', start), attribute.int('end', start + 1)],
    );
    return g.op(`/model/attn_mask/${name}/Squeeze`, 'Squeeze', [dims, g.int64([0])]);
  };
  const pastLength = scalar('past', 'past_key_values.0.key', 2);
  const totalLength = scalar('total', 'attention_mask', 1);
  const one = g.int64([1], []);
  const queryIndex = g.op('/model/attn_mask/Range', 'Range', [pastLength, totalLength, one]);
  const keyIndex = g.op('/model/attn_mask/Range_1', 'Range', [g.int64([0], []), totalLength, one]);
  const causal = g.op('/model/attn_mask/LessOrEqual', 'LessOrEqual', [
    g.op('/model/attn_mask/Unsqueeze', 'Unsqueeze', [keyIndex, g.int64([0])]),
    g.op('/model/attn_mask/Unsqueeze_1', 'Unsqueeze', [queryIndex, g.int64([1])]),
  ]);
  const padding = g.op('/model/attn_mask/Unsqueeze_2', 'Unsqueeze', [
    g.op('/model/attn_mask/Cast', 'Cast', ['attention_mask'], [attribute.int('to', DataType.BOOL)]),
    g.int64([1, 2, 3]),
  ]);
  const allowed = g.op('/model/attn_mask/And', 'And', [causal, padding]);
  const bias = g.op('/model/attn_mask/Where', 'Where', [
    allowed,
    g.float([0], []),
    g.float([MASK_MIN], []),
  ]);

  // RoPE tables [batch, 1, seq, head_dim] from position_ids.
  const invFreq = Array.from(
    { length: headDim / 2 },
    (_, i) => config.rope_theta ** ((-2 * i) / headDim),
  );
  const positions = g.op('/model/rotary_emb/Unsqueeze', 'Unsqueeze', [
    g.op('/model/rotary_emb/Cast', 'Cast', ['position_ids'], [attribute.int('to', DataType.FLOAT)]),
    g.int64([-1]),
  ]);
  const freqs = g.op('/model/rotary_emb/Mul', 'Mul', [positions, g.float(invFreq)]);
  const angles = g.op(
    '/model/rotary_emb/Concat',
    'Concat',
    [freqs, freqs],
    [attribute.int('axis', -1)],
  );
  const headAxis = g.int64([1]);
  const cos = g.op('/model/rotary_emb/Unsqueeze_1', 'Unsqueeze', [
    g.op('/model/rotary_emb/Cos', 'Cos', [angles]),
    headAxis,
  ]);
  const sin = g.op('/model/rotary_emb/Unsqueeze_2', 'Unsqueeze', [
    g.op('/model/rotary_emb/Sin', 'Sin', [angles]),
    headAxis,
  ]);

  for (let layer = 0; layer < layers; layer++) {
    const p = `/model/layers.${layer}`;
    const w = `model.layers.${layer}`;
    const attnIn = rmsNorm(g, `${p}/input_layernorm`, hidden, `${w}.input_layernorm.weight`, eps);
    const a = `${p}/self_attn`;
    const q = linear(`${a}/q_proj/MatMul`, attnIn, `${w}.self_attn.q_proj.weight`);
    const k = linear(`${a}/k_proj/MatMul`, attnIn, `${w}.self_attn.k_proj.weight`);
    const v = linear(`${a}/v_proj/MatMul`, attnIn, `${w}.self_attn.v_proj.weight`);
    const qRot = rope(
      g,
      `${a}/rotary_q`,
      splitHeads(g, `${a}/q_heads`, q, heads, headDim),
      cos,
      sin,
      headDim,
    );
    const kRot = rope(
      g,
      `${a}/rotary_k`,
      splitHeads(g, `${a}/k_heads`, k, kvHeads, headDim),
      cos,
      sin,
      headDim,
    );
    const vHeads = splitHeads(g, `${a}/v_heads`, v, kvHeads, headDim);
    if (options.exposeQueries) {
      const name = `queries.${layer}`;
      g.op(`${a}/queries/Identity`, 'Identity', [qRot], [], name);
      queryOutputs.push(
        valueInfo(name, DataType.FLOAT, ['batch_size', heads, 'sequence_length', headDim]),
      );
    }
    const half = kvType === DataType.FLOAT16;
    const presentKey = g.op(
      `${a}/Concat_key`,
      'Concat',
      [past(layer, 'key'), kRot],
      [attribute.int('axis', 2)],
      half ? undefined : `present.${layer}.key`,
    );
    const presentValue = g.op(
      `${a}/Concat_value`,
      'Concat',
      [past(layer, 'value'), vHeads],
      [attribute.int('axis', 2)],
      half ? undefined : `present.${layer}.value`,
    );
    for (const [name, kind] of [
      [presentKey, 'key'],
      [presentValue, 'value'],
    ] as const) {
      if (half) {
        g.op(
          `${a}/present_${kind}/Cast`,
          'Cast',
          [name],
          [attribute.int('to', DataType.FLOAT16)],
          `present.${layer}.${kind}`,
        );
      }
      outputs.push(presentInfo(`present.${layer}.${kind}`));
    }

    // Grouped-query attention: view queries as [batch, kv_heads, groups, seq, head_dim] so each
    // kv head broadcasts over its group; this is HF's repeat_kv without materialising copies.
    const grouped = g.op(`${a}/group_q/Reshape`, 'Reshape', [
      qRot,
      g.int64([0, kvHeads, groups, -1, headDim]),
    ]);
    const groupAxis = g.int64([2]);
    const keys = g.op(`${a}/repeat_kv_key/Unsqueeze`, 'Unsqueeze', [presentKey, groupAxis]);
    const values = g.op(`${a}/repeat_kv_value/Unsqueeze`, 'Unsqueeze', [presentValue, groupAxis]);
    const keysT = g.op(
      `${a}/Transpose`,
      'Transpose',
      [keys],
      [attribute.ints('perm', [0, 1, 2, 4, 3])],
    );
    const scores = g.op(`${a}/MatMul`, 'MatMul', [grouped, keysT]);
    const scaled = g.op(`${a}/Mul`, 'Mul', [scores, g.float([1 / Math.sqrt(headDim)], [])]);
    const masked = g.op(`${a}/Add`, 'Add', [scaled, bias]);
    const probs = g.op(`${a}/Softmax`, 'Softmax', [masked], [attribute.int('axis', -1)]);
    const context = g.op(`${a}/MatMul_1`, 'MatMul', [probs, values]);
    const merged = g.op(`${a}/merge_heads/Reshape`, 'Reshape', [
      context,
      g.int64([0, heads, -1, headDim]),
    ]);
    const transposed = g.op(
      `${a}/merge_heads/Transpose`,
      'Transpose',
      [merged],
      [attribute.ints('perm', [0, 2, 1, 3])],
    );
    const flat = g.op(`${a}/merge_heads/Reshape_1`, 'Reshape', [
      transposed,
      g.int64([0, 0, heads * headDim]),
    ]);
    const attnOut = linear(`${a}/o_proj/MatMul`, flat, `${w}.self_attn.o_proj.weight`);
    hidden = mlpBlock(g, p, w, g.op(`${p}/Add`, 'Add', [hidden, attnOut]), linear, eps);
  }
  return finish(g, config, hidden, options, inputs, outputs, queryOutputs, eps, linear);
}

type Linear = (node: string, x: string, name: string, output?: string) => string;

/** `[in, a]`, `[in, b]`, … → `[in, a + b + …]`: one projection computing several side by side. */
function packColumns(parts: readonly Weight[]): Weight {
  const rows = parts[0]!.dims[0]!;
  const width = parts.reduce((sum, w) => sum + w.dims[1]!, 0);
  const values = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    let at = r * width;
    for (const part of parts) {
      const cols = part.dims[1]!;
      values.set(part.values.subarray(r * cols, (r + 1) * cols), at);
      at += cols;
    }
  }
  return { dims: [rows, width], values };
}

/** post_attention_layernorm → SwiGLU MLP → residual add. */
function mlpBlock(
  g: GraphBuilder,
  p: string,
  w: string,
  afterAttn: string,
  linear: Linear,
  eps: number,
): string {
  const mlpIn = rmsNorm(
    g,
    `${p}/post_attention_layernorm`,
    afterAttn,
    `${w}.post_attention_layernorm.weight`,
    eps,
  );
  const m = `${p}/mlp`;
  const gate = linear(`${m}/gate_proj/MatMul`, mlpIn, `${w}.mlp.gate_proj.weight`);
  const up = linear(`${m}/up_proj/MatMul`, mlpIn, `${w}.mlp.up_proj.weight`);
  const silu = g.op(`${m}/act_fn/Mul`, 'Mul', [
    gate,
    g.op(`${m}/act_fn/Sigmoid`, 'Sigmoid', [gate]),
  ]);
  const product = g.op(`${m}/Mul`, 'Mul', [silu, up]);
  const down = linear(`${m}/down_proj/MatMul`, product, `${w}.mlp.down_proj.weight`);
  return g.op(`${p}/Add_1`, 'Add', [afterAttn, down]);
}

/** Final norm, optional logits slicing, lm_head, and the model around the graph. */
function finish(
  g: GraphBuilder,
  config: LlamaConfig,
  hidden: string,
  options: LlamaGraphOptions,
  inputs: ValueInfoProto[],
  outputs: ValueInfoProto[],
  queryOutputs: ValueInfoProto[],
  eps: number,
  linear: Linear,
): ModelProto {
  let final = rmsNorm(g, '/model/norm', hidden, 'model.norm.weight', eps);
  if (options.numLogitsToKeep) {
    // HF slices hidden[:, -k:, :]; with k = 0 the start is 0, which keeps every position.
    const start = g.op('/model/Neg', 'Neg', [
      g.op('/model/Unsqueeze', 'Unsqueeze', ['num_logits_to_keep', g.int64([0])]),
    ]);
    final = g.op('/model/Slice', 'Slice', [
      final,
      start,
      g.int64([Number.MAX_SAFE_INTEGER]),
      g.int64([1]),
    ]);
  }
  const half = options.precision === 'fp16';
  const logits = half ? '/lm_head/MatMul_output_0' : 'logits';
  if (config.tie_word_embeddings) {
    const table = g.op(
      '/lm_head/Transpose',
      'Transpose',
      ['model.embed_tokens.weight'],
      [attribute.ints('perm', [1, 0])],
    );
    g.op('/lm_head/MatMul', 'MatMul', [final, table], [], logits);
  } else {
    linear('/lm_head/MatMul', final, 'lm_head.weight', logits);
  }
  if (half)
    g.op('/lm_head/Cast', 'Cast', [logits], [attribute.int('to', DataType.FLOAT16)], 'logits');
  const logitsLength = options.numLogitsToKeep ? 'logits_sequence_length' : 'sequence_length';
  const contrib = options.attention === 'group-query' || options.precision === 'q4';

  return {
    ir_version: 8,
    opset_import: [
      { domain: '', version: LLAMA_OPSET },
      ...(contrib ? [{ domain: MS_DOMAIN, version: 1 }] : []),
    ],
    producer_name: 'signal-model-builder',
    graph: {
      name: 'main_graph',
      node: g.nodes,
      initializer: g.initializers,
      input: inputs,
      output: [
        valueInfo('logits', half ? DataType.FLOAT16 : DataType.FLOAT, [
          'batch_size',
          logitsLength,
          config.vocab_size,
        ]),
        ...outputs,
        ...queryOutputs,
      ],
    },
  };
}

import type { InferenceSession } from 'onnxruntime-node';
import { MS_DOMAIN } from '../onnx/domains';
import type { GraphSummary } from './GraphSummary';
import type { ModelConfig } from './ModelConfig';
import { ModelDirError } from './ModelDirError';

/** How a graph names its per-layer cache inputs and outputs. */
export interface KvNames {
  pastKey: string;
  pastValue: string;
  presentKey: string;
  presentValue: string;
}

/** Integer element type a graph takes for ids, masks and positions. */
export type IndexType = 'int64' | 'int32';

/** Float element type of a graph's caches, logits or embeddings; the runtime computes in float32. */
export type FloatType = 'float32' | 'float16';

/** How a graph computes attention: ONNX ops, or one contrib op per layer. */
export type AttentionKind = 'onnx-ops' | 'group-query-attention' | 'multi-head-attention';

/**
 * Where rotary embeddings are applied: by ONNX ops fed `position_ids`, by
 * `com.microsoft.RotaryEmbedding` nodes fed `position_ids`, or inside GroupQueryAttention
 * from `seqlens_k` (positions then follow the cache length, not the text).
 */
export type RotaryStyle = 'onnx-ops' | 'rotary-embedding-op' | 'inside-attention-op';

/** How projection weights are stored. */
export interface Quantization {
  /** `MatMulNBits` (block-wise n-bit), `DequantizeLinear` (QDQ int8), `MatMulInteger`, or none. */
  op: 'MatMulNBits' | 'DequantizeLinear' | 'MatMulInteger' | null;
  bits: number | null;
  blockSize: number | null;
}

/** Everything the runtime needs to know to drive a decoder graph, read from its I/O. */
export interface GraphSignature {
  numLayers: number;
  /** Query heads. */
  numHeads: number;
  kvHeads: number;
  headDim: number;
  vocabSize: number;
  kv: readonly KvNames[];
  /** Element type of the past/present tensors (float16 exports are widened on use). */
  kvType: FloatType;
  logitsType: FloatType;
  /** Element type of `inputs_embeds`, when the graph takes it. */
  embedsType: FloatType | undefined;
  /** `input_ids` element type, or undefined when the graph only takes `inputs_embeds`. */
  inputIds: IndexType | undefined;
  attentionMask: IndexType | undefined;
  positionIds: IndexType | undefined;
  /** `num_logits_to_keep` or `logits_to_keep`, when the graph can return only the last k logits. */
  logitsToKeep: string | undefined;
  /** Merged decoders (`decoder_model_merged.onnx`) switch branches on this boolean input. */
  useCacheBranch: boolean;
  inputsEmbeds: boolean;
  /** Extra outputs the graph exposes (e.g. `queries.N`), passed through to callers. */
  extraOutputs: readonly string[];
  /** Inputs the caller declared as its own (e.g. LoRA A/B stacks); the runtime never feeds them. */
  extraInputs: readonly string[];
  /** Caches are `[batch, kv_heads, seq, head_dim]` (BNSH), the only layout the runtime drives. */
  kvLayout: 'bnsh';
  attention: AttentionKind;
  rotary: RotaryStyle;
  /** `position-ids`: new tokens take the positions the caller gives; `derived`: the graph counts them itself. */
  positions: 'position-ids' | 'derived';
  quantization: Quantization;
  /** False when the graph derives positions from the mask itself, so pruned caches would be mis-rotated. */
  supportsPrunedCache: boolean;
  /** Why a pruned cache cannot be continued, when it cannot. */
  prunedCacheBlocker: string | undefined;
}

const KV_PATTERNS: readonly { past: RegExp; names: (i: number) => KvNames }[] = [
  {
    past: /^past_key_values\.(\d+)\.key$/,
    names: (i) => ({
      pastKey: `past_key_values.${i}.key`,
      pastValue: `past_key_values.${i}.value`,
      presentKey: `present.${i}.key`,
      presentValue: `present.${i}.value`,
    }),
  },
  {
    past: /^past_key\.(\d+)$/,
    names: (i) => ({
      pastKey: `past_key.${i}`,
      pastValue: `past_value.${i}`,
      presentKey: `present_key.${i}`,
      presentValue: `present_value.${i}`,
    }),
  },
];

export interface ReadGraphSignatureInput {
  session: Pick<InferenceSession, 'inputMetadata' | 'outputMetadata'>;
  config: ModelConfig;
  modelPath: string;
  /** The graph's ops (GroupQueryAttention, RotaryEmbedding, MatMulNBits, …). */
  graph: GraphSummary;
  /** Accepts inputs the runtime does not know; they must then be fed through `extraFeeds`. */
  acceptInput?: ((name: string) => boolean) | undefined;
}

/**
 * Reads a decoder graph's I/O into a GraphSignature, refusing graphs the runtime cannot
 * drive: unknown inputs, missing `present` outputs, caches or logits that are neither float32
 * nor float16 (or mix them), or cache shapes that contradict `config.json`.
 */
export function readGraphSignature(input: ReadGraphSignatureInput): GraphSignature {
  const { session, config, modelPath } = input;
  const unsupported = (short: string, details: string): ModelDirError =>
    new ModelDirError('MODEL_IO_UNSUPPORTED', short, { details: `${modelPath}: ${details}` });

  const inputs = new Map(session.inputMetadata.map((m) => [m.name, m]));
  const outputs = new Map(session.outputMetadata.map((m) => [m.name, m]));
  const tensorInput = (name: string) => {
    const meta = inputs.get(name);
    if (meta === undefined) return undefined;
    if (!meta.isTensor)
      throw unsupported(`graph input ${name} is not a tensor`, 'only tensor inputs are supported');
    return meta;
  };
  const indexType = (name: string): IndexType | undefined => {
    const meta = tensorInput(name);
    if (meta === undefined) return undefined;
    if (meta.type !== 'int64' && meta.type !== 'int32') {
      throw unsupported(
        `graph input ${name} has element type ${meta.type}`,
        'expected int64 or int32',
      );
    }
    return meta.type;
  };

  const known = new Set<string>();
  const pattern =
    KV_PATTERNS.find((p) => [...inputs.keys()].some((n) => p.past.test(n))) ?? KV_PATTERNS[0]!;
  const layerIds = [...inputs.keys()]
    .map((n) => pattern.past.exec(n)?.[1])
    .filter((i): i is string => i !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  if (layerIds.length === 0) {
    throw unsupported(
      'graph takes no past key/value inputs',
      'expected past_key_values.N.key|value (optimum export with past)',
    );
  }
  if (layerIds.some((id, i) => id !== i)) {
    throw unsupported(
      'graph cache inputs are not numbered 0..N-1',
      `found layers ${layerIds.join(', ')}`,
    );
  }
  const numLayers = layerIds.length;
  if (numLayers !== config.num_hidden_layers) {
    throw unsupported(
      `graph has ${numLayers} cache layers but config.json says num_hidden_layers = ${config.num_hidden_layers}`,
      'the graph and config.json come from different models',
    );
  }

  let kvHeads = config.num_key_value_heads ?? config.num_attention_heads;
  let headDim = config.head_dim ?? Math.floor(config.hidden_size / config.num_attention_heads);
  const kv: KvNames[] = [];
  let kvType: FloatType | undefined;
  for (let i = 0; i < numLayers; i++) {
    const names = pattern.names(i);
    for (const name of [names.pastKey, names.pastValue]) {
      const meta = tensorInput(name);
      if (meta === undefined)
        throw unsupported(`graph input ${name} is missing`, 'every layer needs a key and a value');
      if (meta.type !== 'float32' && meta.type !== 'float16') {
        throw unsupported(
          `graph input ${name} has element type ${meta.type}`,
          'caches must be float32 or float16',
        );
      }
      kvType ??= meta.type;
      if (meta.type !== kvType) {
        throw unsupported(
          `graph input ${name} has element type ${meta.type}`,
          `other cache inputs are ${kvType}`,
        );
      }
      const [, heads, , dim] = meta.shape;
      if (typeof heads === 'number')
        kvHeads = checkDim(name, 'kv heads', heads, kvHeads, unsupported);
      if (typeof dim === 'number') headDim = checkDim(name, 'head_dim', dim, headDim, unsupported);
      known.add(name);
    }
    for (const name of [names.presentKey, names.presentValue]) {
      if (!outputs.has(name))
        throw unsupported(
          `graph output ${name} is missing`,
          `it must mirror input ${names.pastKey}`,
        );
    }
    kv.push(names);
  }

  const logits = outputs.get('logits');
  if (logits === undefined)
    throw unsupported('graph output logits is missing', 'a causal LM must output logits');
  const logitsType = logits.isTensor ? logits.type : 'float32';
  if (logitsType !== 'float32' && logitsType !== 'float16') {
    throw unsupported(
      `graph output logits has element type ${logitsType}`,
      'expected float32 or float16',
    );
  }
  const logitsVocab = logits.isTensor ? logits.shape[2] : undefined;
  const vocabSize = typeof logitsVocab === 'number' ? logitsVocab : config.vocab_size;

  const inputIds = indexType('input_ids');
  const attentionMask = indexType('attention_mask');
  const positionIds = indexType('position_ids');
  const logitsToKeep = ['num_logits_to_keep', 'logits_to_keep'].find((n) => inputs.has(n));
  const useCacheBranch = inputs.has('use_cache_branch');
  const inputsEmbeds = inputs.has('inputs_embeds');
  const embedsMeta = tensorInput('inputs_embeds');
  const embedsType = embedsMeta?.type;
  if (embedsType !== undefined && embedsType !== 'float32' && embedsType !== 'float16') {
    throw unsupported(
      `graph input inputs_embeds has element type ${embedsType}`,
      'expected float32 or float16',
    );
  }
  if (inputIds === undefined && !inputsEmbeds) {
    throw unsupported('graph takes neither input_ids nor inputs_embeds', 'one of them is required');
  }
  for (const name of [
    'input_ids',
    'attention_mask',
    'position_ids',
    'use_cache_branch',
    'inputs_embeds',
  ]) {
    known.add(name);
  }
  if (logitsToKeep) known.add(logitsToKeep);
  const extraInputs: string[] = [];
  for (const name of inputs.keys()) {
    if (known.has(name)) continue;
    if (input.acceptInput?.(name)) {
      extraInputs.push(name);
      continue;
    }
    throw unsupported(
      `graph input ${name} is not one the runtime knows`,
      'pass acceptInput to feed it yourself',
    );
  }

  const presentNames = new Set(kv.flatMap((n) => [n.presentKey, n.presentValue]));
  const extraOutputs = [...outputs.keys()].filter((n) => n !== 'logits' && !presentNames.has(n));

  const { graph } = input;
  const gqa = graph.ops.has(`${MS_DOMAIN}:GroupQueryAttention`);
  const attention: AttentionKind = gqa
    ? 'group-query-attention'
    : graph.ops.has(`${MS_DOMAIN}:MultiHeadAttention`)
      ? 'multi-head-attention'
      : 'onnx-ops';
  const rotaryInOp = graph.gqa.some((n) => n.doRotary);
  const rotary: RotaryStyle = rotaryInOp
    ? 'inside-attention-op'
    : graph.ops.has(`${MS_DOMAIN}:RotaryEmbedding`)
      ? 'rotary-embedding-op'
      : 'onnx-ops';
  const prunedCacheBlocker = rotaryInOp
    ? 'GroupQueryAttention applies rotary inside the op at positions counted from seqlens_k'
    : positionIds === undefined
      ? 'the graph takes no position_ids and numbers positions itself'
      : undefined;
  return {
    numLayers,
    numHeads: graph.gqa[0]?.numHeads ?? config.num_attention_heads,
    kvHeads,
    headDim,
    vocabSize,
    kv,
    kvType: kvType ?? 'float32',
    logitsType,
    embedsType,
    inputIds,
    attentionMask,
    positionIds,
    logitsToKeep,
    useCacheBranch,
    inputsEmbeds,
    extraOutputs,
    extraInputs,
    kvLayout: 'bnsh',
    attention,
    rotary,
    positions: positionIds === undefined ? 'derived' : 'position-ids',
    quantization: quantizationOf(graph),
    // Without position_ids the graph numbers positions itself (from the mask or the length),
    // which renumbers the survivors of a pruned cache; GQA's own rotary does the same.
    supportsPrunedCache: prunedCacheBlocker === undefined,
    prunedCacheBlocker,
  };
}

function checkDim(
  name: string,
  what: string,
  fromGraph: number,
  fromConfig: number,
  unsupported: (short: string, details: string) => ModelDirError,
): number {
  if (fromGraph !== fromConfig) {
    throw unsupported(
      `graph input ${name} has ${fromGraph} ${what} but config.json implies ${fromConfig}`,
      'the graph and config.json come from different models',
    );
  }
  return fromGraph;
}

function quantizationOf(graph: GraphSummary): Quantization {
  if (graph.ops.has(`${MS_DOMAIN}:MatMulNBits`)) {
    return {
      op: 'MatMulNBits',
      bits: graph.nbits?.bits ?? null,
      blockSize: graph.nbits?.blockSize ?? null,
    };
  }
  if (graph.ops.has(':MatMulInteger')) return { op: 'MatMulInteger', bits: 8, blockSize: null };
  if (graph.ops.has(':DequantizeLinear'))
    return { op: 'DequantizeLinear', bits: 8, blockSize: null };
  return { op: null, bits: null, blockSize: null };
}

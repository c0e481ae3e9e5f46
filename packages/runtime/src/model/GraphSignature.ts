import type { InferenceSession } from 'onnxruntime-node';
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

/** Everything the runtime needs to know to drive a decoder graph, read from its I/O. */
export interface GraphSignature {
  numLayers: number;
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
  /** False when the graph derives positions from the mask itself, so pruned caches would be mis-rotated. */
  supportsPrunedCache: boolean;
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
  usesGroupQueryAttention: boolean;
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

  return {
    numLayers,
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
    // Without position_ids the graph numbers positions itself (from the mask or the length),
    // which renumbers the survivors of a pruned cache; GQA contrib ops do the same internally.
    supportsPrunedCache: positionIds !== undefined && !input.usesGroupQueryAttention,
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

import { attribute, intAttribute } from '../onnx/attribute';
import { DataType } from '../onnx/dataType';
import { MS_DOMAIN } from '../onnx/domains';
import { uniqueName } from '../onnx/graphNames';
import type { AttributeProto, ModelProto, NodeProto, TensorProto } from '../onnx/proto';
import { PositionsError } from './PositionsError';

/** GroupQueryAttention input slots (ContribOperators.md). */
const GQA = { query: 0, key: 1, value: 2, cosCache: 7, sinCache: 8, positionIds: 9 } as const;

export interface RotaryRewriteOptions {
  /** Per-head size, from config.json: decides whether rotary covers the whole head. */
  headDim: number;
}

/**
 * Moves rotary out of every GroupQueryAttention node that applies it itself (`do_rotary = 1`,
 * positions counted from `seqlens_k`, i.e. from the cache length) onto explicit positions:
 * a new `position_ids` graph input `[batch_size, sequence_length]` feeds one
 * `com.microsoft.RotaryEmbedding` on the query and one on the key, with the node's own
 * `cos_cache` / `sin_cache` and interleaving, and the node then runs with `do_rotary = 0`.
 * The math is unchanged for a cache that is the text it stands for; a pruned cache now
 * continues at the positions the caller gives. Packed QKV is split first. Returns how many
 * nodes were rewritten; the model is modified in place.
 */
export function rotaryToExplicitPositions(
  model: ModelProto,
  options: RotaryRewriteOptions,
): number {
  const graph = model.graph ?? {};
  const nodes = graph.node ?? [];
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const targets = nodes.filter(
    (n) =>
      n.op_type === 'GroupQueryAttention' &&
      n.domain === MS_DOMAIN &&
      (intAttribute(n.attribute, 'do_rotary') ?? 0) === 1,
  );
  if (targets.length === 0) return 0;
  const existing = graph.input?.find((i) => i.name === 'position_ids');
  if (existing && existing.type?.tensor_type?.elem_type !== DataType.INT64) {
    throw new PositionsError(
      'POSITIONS_REWRITE_UNSUPPORTED',
      'the graph already has a position_ids input that is not int64',
      { details: 'RotaryEmbedding takes int64 positions' },
    );
  }
  if (!existing) {
    graph.input = [
      ...(graph.input ?? []),
      {
        name: 'position_ids',
        type: {
          tensor_type: {
            elem_type: DataType.INT64,
            shape: { dim: [{ dim_param: 'batch_size' }, { dim_param: 'sequence_length' }] },
          },
        },
      },
    ];
  }
  const rewritten: NodeProto[] = [];
  for (const node of nodes) {
    if (!targets.includes(node)) {
      rewritten.push(node);
      continue;
    }
    rewritten.push(...explicitRotary(graph, node, initializers, options.headDim));
  }
  graph.node = rewritten;
  return targets.length;
}

function explicitRotary(
  graph: NonNullable<ModelProto['graph']>,
  node: NodeProto,
  initializers: ReadonlyMap<string, TensorProto>,
  headDim: number,
): NodeProto[] {
  const name = node.name ?? 'GroupQueryAttention';
  const inputs = [...(node.input ?? [])];
  const cos = inputs[GQA.cosCache];
  const sin = inputs[GQA.sinCache];
  if (!cos || !sin) {
    throw new PositionsError(
      'POSITIONS_REWRITE_UNSUPPORTED',
      `${name} applies rotary without cos_cache / sin_cache inputs`,
      { details: 'do_rotary = 1 needs both caches' },
    );
  }
  if (inputs[GQA.positionIds]) {
    throw new PositionsError(
      'POSITIONS_REWRITE_UNSUPPORTED',
      `${name} already takes position_ids`,
      { details: 'the graph feeds its own positions to the op' },
    );
  }
  const numHeads = intAttribute(node.attribute, 'num_heads') ?? 0;
  const kvHeads = intAttribute(node.attribute, 'kv_num_heads') ?? 0;
  const interleaved = intAttribute(node.attribute, 'rotary_interleaved') ?? 0;
  const cacheDims = initializers.get(cos)?.dims?.map(Number);
  const rotaryDim = cacheDims?.[1] !== undefined ? cacheDims[1] * 2 : headDim;
  const fresh = (suffix: string) => uniqueName(graph, `${name}/${suffix}`);
  const added: NodeProto[] = [];
  let [query, key, value] = [inputs[GQA.query]!, inputs[GQA.key], inputs[GQA.value]];
  if (!key) {
    // Packed QKV: [batch, seq, (heads + 2·kv_heads)·head_dim] → three tensors.
    const outputs = [fresh('query'), fresh('key'), fresh('value')];
    const sizes = fresh('split_sizes');
    added.push({
      name: fresh('Constant'),
      op_type: 'Constant',
      input: [],
      output: [sizes],
      attribute: [
        attribute.tensor('value', {
          name: sizes,
          data_type: DataType.INT64,
          dims: [3],
          int64_data: [numHeads * headDim, kvHeads * headDim, kvHeads * headDim],
        }),
      ],
    });
    added.push({
      name: fresh('Split'),
      op_type: 'Split',
      input: [query, sizes],
      output: outputs,
      attribute: [attribute.int('axis', -1)],
    });
    [query, key, value] = outputs as [string, string, string];
  }
  const rotate = (input: string, heads: number, label: string): string => {
    const output = fresh(`rotary_${label}`);
    const attributes: AttributeProto[] = [attribute.int('interleaved', interleaved)];
    if (rotaryDim !== headDim) {
      attributes.push(
        attribute.int('num_heads', heads),
        attribute.int('rotary_embedding_dim', rotaryDim),
      );
    }
    added.push({
      name: fresh(`RotaryEmbedding_${label}`),
      op_type: 'RotaryEmbedding',
      domain: MS_DOMAIN,
      input: [input, 'position_ids', cos, sin],
      output: [output],
      attribute: attributes,
    });
    return output;
  };
  inputs[GQA.query] = rotate(query, numHeads, 'q');
  inputs[GQA.key] = rotate(key!, kvHeads, 'k');
  inputs[GQA.value] = value!;
  inputs[GQA.cosCache] = '';
  inputs[GQA.sinCache] = '';
  while (inputs.length > 0 && !inputs[inputs.length - 1]) inputs.pop();
  const attributes = (node.attribute ?? []).filter(
    (a) => a.name !== 'do_rotary' && a.name !== 'rotary_interleaved',
  );
  attributes.push(attribute.int('do_rotary', 0));
  return [...added, { ...node, input: inputs, attribute: attributes }];
}

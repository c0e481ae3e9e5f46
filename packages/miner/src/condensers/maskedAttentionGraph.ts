import {
  attribute,
  DataType,
  type ModelProto,
  makeTensor,
  type NodeProto,
  type ValueInfoProto,
} from '@signal/runtime';

function floatInput(name: string, dims: readonly string[]): ValueInfoProto {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: DataType.FLOAT,
        shape: { dim: dims.map((d) => ({ dim_param: d })) },
      },
    },
  };
}

/** How the query rows' attention onto each key is folded into one figure per key. */
export type AttentionReduction = 'sum' | 'max';

/**
 * A five-node ONNX graph: per group, the masked softmax attention of a few query rows onto
 * every key, folded over the rows, `out[g, j] = ⊕_r softmax_j(q[g, r] · k[g, j] + bias[r, j])`
 * with ⊕ a sum (`attended`: how much a window attends each position) or a max (`peak`: the
 * most any row pays it). Inputs: `queries` `[groups, rows, head_dim]` (already scaled by
 * 1/√head_dim), `keys` `[groups, keys, head_dim]`, `bias` `[rows, keys]` (0 where row r may
 * see key j, a large negative number where it may not). Output `[groups, keys]`, named
 * `attended` or `peak`. ONNX Runtime runs the product in its BLAS, several times faster than
 * the same loop in TypeScript.
 */
export function maskedAttentionGraph(reduction: AttentionReduction): ModelProto {
  const output = reduction === 'sum' ? 'attended' : 'peak';
  // Opset 17: ReduceSum takes its axes as an input, ReduceMax still as an attribute.
  const fold: NodeProto =
    reduction === 'sum'
      ? {
          op_type: 'ReduceSum',
          name: output,
          input: ['weights', 'rows_axis'],
          output: [output],
          attribute: [attribute.int('keepdims', 0)],
        }
      : {
          op_type: 'ReduceMax',
          name: output,
          input: ['weights'],
          output: [output],
          attribute: [attribute.ints('axes', [1]), attribute.int('keepdims', 0)],
        };
  return {
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    producer_name: 'signal-miner',
    graph: {
      name: `masked_attention_${reduction}`,
      node: [
        {
          op_type: 'Transpose',
          name: 'keys_t',
          input: ['keys'],
          output: ['keys_t'],
          attribute: [attribute.ints('perm', [0, 2, 1])],
        },
        { op_type: 'MatMul', name: 'logits', input: ['queries', 'keys_t'], output: ['logits'] },
        { op_type: 'Add', name: 'masked', input: ['logits', 'bias'], output: ['masked'] },
        {
          op_type: 'Softmax',
          name: 'weights',
          input: ['masked'],
          output: ['weights'],
          attribute: [attribute.int('axis', -1)],
        },
        fold,
      ],
      initializer:
        reduction === 'sum'
          ? [makeTensor('rows_axis', DataType.INT64, [1], BigInt64Array.of(1n))]
          : [],
      input: [
        floatInput('queries', ['groups', 'rows', 'head_dim']),
        floatInput('keys', ['groups', 'keys', 'head_dim']),
        floatInput('bias', ['rows', 'keys']),
      ],
      output: [floatInput(output, ['groups', 'keys'])],
    },
  };
}

import {
  attribute,
  DataType,
  type ModelProto,
  makeTensor,
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

/**
 * A five-node ONNX graph that sums, per KV group, the causal softmax attention of the
 * observation window's queries onto every cached position:
 * `attended[g, j] = Σ_r softmax_j(q[g, r] · k[g, j] + bias[r, j])`. Inputs: `queries`
 * `[groups, rows, head_dim]` (already scaled by 1/√head_dim), `keys` `[groups, length,
 * head_dim]`, `bias` `[rows, length]` (0 where row r may see key j, a large negative number
 * where it may not). Output `attended` `[groups, length]`. ONNX Runtime runs the product in
 * its BLAS, several times faster than the same loop in TypeScript.
 */
export function windowAttentionGraph(): ModelProto {
  return {
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    producer_name: 'signal-miner',
    graph: {
      name: 'window_attention',
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
        {
          op_type: 'ReduceSum',
          name: 'attended',
          input: ['weights', 'rows_axis'],
          output: ['attended'],
          attribute: [attribute.int('keepdims', 0)],
        },
      ],
      initializer: [makeTensor('rows_axis', DataType.INT64, [1], BigInt64Array.of(1n))],
      input: [
        floatInput('queries', ['groups', 'rows', 'head_dim']),
        floatInput('keys', ['groups', 'length', 'head_dim']),
        floatInput('bias', ['rows', 'length']),
      ],
      output: [floatInput('attended', ['groups', 'length'])],
    },
  };
}

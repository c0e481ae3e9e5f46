import { attribute, DataType, type ModelProto, type ValueInfoProto } from '@signal/runtime';

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
 * A five-node ONNX graph: per group, the most attention any query row pays each key,
 * `peak[g, j] = max_r softmax_j(q[g, r] · k[g, j] + bias[r, j])`. Inputs: `queries`
 * `[groups, rows, head_dim]` (already scaled by 1/√head_dim), `keys` `[groups, keys,
 * head_dim]`, `bias` `[rows, keys]` (0 where row r may see key j, a large negative number
 * where it may not). Output `peak` `[groups, keys]`. ONNX Runtime runs the product in its BLAS.
 */
export function reconstructionAttentionGraph(): ModelProto {
  return {
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    producer_name: 'signal-miner',
    graph: {
      name: 'reconstruction_attention',
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
          op_type: 'ReduceMax',
          name: 'peak',
          input: ['weights'],
          output: ['peak'],
          attribute: [attribute.ints('axes', [1]), attribute.int('keepdims', 0)],
        },
      ],
      initializer: [],
      input: [
        floatInput('queries', ['groups', 'rows', 'head_dim']),
        floatInput('keys', ['groups', 'keys', 'head_dim']),
        floatInput('bias', ['rows', 'keys']),
      ],
      output: [floatInput('peak', ['groups', 'keys'])],
    },
  };
}

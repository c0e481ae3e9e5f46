import { findGraphLinears, graftGraph, selectLinears } from '@signal/lora';
import { DataType, type GraphProto, type ModelProto, makeTensor } from '@signal/runtime';

const weight = (name: string, rows: number, cols: number) =>
  makeTensor(name, DataType.FLOAT, [rows, cols], new Float32Array(rows * cols));

/** A graph shaped like an optimum export whose weights were renamed to `onnx::MatMul_*`. */
const graph: GraphProto = {
  node: [
    {
      name: '/model/layers.0/self_attn/q_proj/MatMul',
      op_type: 'MatMul',
      input: ['x', 'onnx::MatMul_101'],
      output: ['q'],
    },
    {
      name: '/model/layers.0/self_attn/MatMul',
      op_type: 'MatMul',
      input: ['q', 'k'],
      output: ['scores'],
    },
    {
      name: '/model/layers.0/mlp/up_proj/MatMul',
      op_type: 'MatMul',
      input: ['x', 'model.layers.0.mlp.up_proj.weight'],
      output: ['u'],
    },
    {
      name: '/lm_head/MatMul',
      op_type: 'MatMul',
      input: ['u', 'lm_head.weight'],
      output: ['logits'],
    },
  ],
  initializer: [
    weight('onnx::MatMul_101', 4, 4),
    weight('model.layers.0.mlp.up_proj.weight', 4, 8),
    weight('lm_head.weight', 8, 16),
  ],
  input: [{ name: 'x' }, { name: 'k' }],
  output: [{ name: 'logits' }],
};

describe('findGraphLinears', () => {
  it('names MatMuls by initializer, falling back to the optimum node name', () => {
    const linears = findGraphLinears(graph);
    expect(linears.map((l) => [l.module, l.inFeatures, l.outFeatures])).toEqual([
      ['model.layers.0.self_attn.q_proj', 4, 4],
      ['model.layers.0.mlp.up_proj', 4, 8],
      ['lm_head', 8, 16],
    ]);
    expect(selectLinears(linears, 'all-linear').map((l) => l.module)).not.toContain('lm_head');
    expect(selectLinears(linears, ['q_proj']).map((l) => l.module)).toEqual([
      'model.layers.0.self_attn.q_proj',
    ]);
  });

  it('grafts in topological order and keeps the output names consumers use', () => {
    const model: ModelProto = { graph };
    const { model: grafted, grafted: targets } = graftGraph(model, ['q_proj']);
    const nodes = grafted.graph?.node ?? [];
    expect(targets).toEqual([
      {
        module: 'model.layers.0.self_attn.q_proj',
        node: '/model/layers.0/self_attn/q_proj/MatMul',
        inFeatures: 4,
        outFeatures: 4,
      },
    ]);
    expect(nodes.map((n) => n.op_type)).toEqual([
      'MatMul',
      'MatMul',
      'MatMul',
      'Add',
      'MatMul',
      'MatMul',
      'MatMul',
    ]);
    expect(nodes[3]?.output).toEqual(['q']);
    expect(nodes[1]?.input).toEqual(['x', 'model.layers.0.self_attn.q_proj.lora_A']);
    expect(graph.node?.[0]?.output).toEqual(['q']); // the input model is not mutated
  });
});

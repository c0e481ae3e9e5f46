import {
  attribute,
  DataType,
  encodeModel,
  findNodes,
  type GraphProto,
  implicitInputs,
  type ModelProto,
  makeTensor,
  topologicalSort,
} from '@signal/runtime';
import * as ort from 'onnxruntime-node';

const scalarFloat = (name: string) => ({
  name,
  type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim: [{ dim_value: 1 }] } } },
});

/** y = cond ? (x·2) : (x·3), with the branches reading `doubled`/`tripled` from the outer scope. */
function ifModel(): ModelProto {
  const branch = (name: string, source: string): GraphProto => ({
    name,
    node: [
      { name: `${name}/Identity`, op_type: 'Identity', input: [source], output: [`${name}_out`] },
    ],
    output: [scalarFloat(`${name}_out`)],
  });
  return {
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      name: 'if_graph',
      input: [
        scalarFloat('x'),
        { name: 'cond', type: { tensor_type: { elem_type: DataType.BOOL, shape: { dim: [] } } } },
      ],
      initializer: [
        makeTensor('two', DataType.FLOAT, [1], Float32Array.of(2)),
        makeTensor('three', DataType.FLOAT, [1], Float32Array.of(3)),
      ],
      // Deliberately out of order: the If reads `doubled`/`tripled` before their producers appear.
      node: [
        {
          name: '/choose/If',
          op_type: 'If',
          input: ['cond'],
          output: ['y'],
          attribute: [
            attribute.graph('then_branch', branch('then', 'doubled')),
            attribute.graph('else_branch', branch('else', 'tripled')),
          ],
        },
        { name: '/double/Mul', op_type: 'Mul', input: ['x', 'two'], output: ['doubled'] },
        { name: '/triple/Mul', op_type: 'Mul', input: ['x', 'three'], output: ['tripled'] },
      ],
      output: [scalarFloat('y')],
    },
  };
}

describe('graph tools with subgraphs', () => {
  it('sorts nodes after the outer-scope tensors their branches read, and ORT runs the result', async () => {
    const model = ifModel();
    const graph = model.graph!;
    expect(implicitInputs(graph.node![0]!).sort()).toEqual(['doubled', 'tripled']);
    topologicalSort(graph);
    expect(graph.node!.map((n) => n.name)).toEqual(['/double/Mul', '/triple/Mul', '/choose/If']);
    const session = await ort.InferenceSession.create(encodeModel(model));
    const x = new ort.Tensor('float32', Float32Array.of(5), [1]);
    const yes = await session.run({ x, cond: new ort.Tensor('bool', Uint8Array.of(1), []) });
    const no = await session.run({ x, cond: new ort.Tensor('bool', Uint8Array.of(0), []) });
    expect(Array.from(yes.y?.data as Float32Array)).toEqual([10]);
    expect(Array.from(no.y?.data as Float32Array)).toEqual([15]);
    await session.release();
  });

  it('finds nodes inside branches only when asked, returning the graph that holds them', () => {
    const graph = ifModel().graph!;
    expect(findNodes(graph, /Identity$/)).toEqual([]);
    const found = findNodes(graph, /Identity$/, { subgraphs: true });
    expect(found.map((f) => [f.node.name, f.graph.name])).toEqual([
      ['then/Identity', 'then'],
      ['else/Identity', 'else'],
    ]);
  });
});

import { implicitInputs, sourceNames } from './graphNames';
import { OnnxError } from './OnnxError';
import type { GraphProto, NodeProto } from './proto';

/**
 * Reorders `graph.node` in place so every node comes after the producers of its inputs
 * (including outer-scope names its subgraphs read), keeping the existing order wherever
 * it is already valid. `outerScope` lists names visible from an enclosing graph.
 * Throws on cycles, duplicate producers and inputs nothing defines.
 */
export function topologicalSort(graph: GraphProto, outerScope: Iterable<string> = []): GraphProto {
  const nodes = graph.node ?? [];
  const available = new Set([...outerScope, ...sourceNames(graph)]);
  const producer = new Map<string, number>();
  nodes.forEach((node, index) => {
    for (const output of node.output ?? []) {
      if (!output) continue;
      if (producer.has(output) || available.has(output)) {
        throw new OnnxError('ONNX_GRAPH_INVALID', `Tensor "${output}" is defined twice`, {
          details: `by node "${node.name ?? index}"`,
        });
      }
      producer.set(output, index);
    }
  });
  const dependencies = nodes.map((node) =>
    [...(node.input ?? []), ...implicitInputs(node)].flatMap((name) => {
      if (!name || available.has(name)) return [];
      const index = producer.get(name);
      if (index === undefined) {
        throw new OnnxError(
          'ONNX_TENSOR_NOT_FOUND',
          `Node "${node.name ?? ''}" reads undefined tensor "${name}"`,
        );
      }
      return [index];
    }),
  );

  // Iterative depth-first post-order: deep chains (thousands of layers' nodes) cannot overflow the stack.
  const state = new Uint8Array(nodes.length); // 0 new, 1 on the stack, 2 emitted
  const sorted: NodeProto[] = [];
  for (let root = 0; root < nodes.length; root++) {
    if (state[root] === 2) continue;
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [index, next] = top;
      const deps = dependencies[index]!;
      if (next < deps.length) {
        top[1] = next + 1;
        const dep = deps[next]!;
        if (state[dep] === 1) {
          throw new OnnxError('ONNX_GRAPH_CYCLE', 'The graph has a cycle', {
            details: `through node "${nodes[dep]?.name ?? dep}"`,
          });
        }
        if (state[dep] === 0) {
          state[dep] = 1;
          stack.push([dep, 0]);
        }
      } else {
        state[index] = 2;
        sorted.push(nodes[index]!);
        stack.pop();
      }
    }
  }
  graph.node = sorted;
  return graph;
}

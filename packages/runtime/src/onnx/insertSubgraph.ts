import { definedNames, producerOf, uniqueName } from './graphNames';
import { OnnxError } from './OnnxError';
import type { GraphProto, NodeProto, TensorProto, ValueInfoProto } from './proto';
import { topologicalSort } from './topologicalSort';

export interface SubgraphInsertion {
  nodes: NodeProto[];
  initializers?: TensorProto[];
  /** New graph inputs the subgraph reads (e.g. LoRA A/B matrices with a symbolic rank). */
  inputs?: ValueInfoProto[];
  /**
   * Route an existing tensor through the subgraph: its nodes read the original value as
   * `tensor` and write the new value as `replacement`; afterwards every other reader of
   * `tensor` (nodes, graph outputs, nested bodies) sees the new value.
   */
  reroute?: { tensor: string; replacement: string };
}

export interface InsertedSubgraph {
  /** Where the original value of a rerouted tensor now lives. */
  originalName?: string;
}

const rename = (names: string[] | undefined, from: string, to: string) =>
  names?.map((n) => (n === from ? to : n));

function checkCollisions(graph: GraphProto, insertion: SubgraphInsertion): void {
  const defined = definedNames(graph);
  const nodeNames = new Set((graph.node ?? []).map((n) => n.name).filter(Boolean));
  const fresh = [
    ...insertion.nodes.flatMap((n) => n.output ?? []),
    ...(insertion.initializers ?? []).map((t) => t.name ?? ''),
    ...(insertion.inputs ?? []).map((i) => i.name ?? ''),
  ].filter(Boolean);
  const seen = new Set<string>();
  for (const name of fresh) {
    if (defined.has(name) || seen.has(name)) {
      throw new OnnxError(
        'ONNX_NAME_COLLISION',
        `The subgraph defines "${name}", which already exists`,
      );
    }
    seen.add(name);
  }
  for (const node of insertion.nodes) {
    if (node.name && nodeNames.has(node.name)) {
      throw new OnnxError('ONNX_NAME_COLLISION', `A node named "${node.name}" already exists`);
    }
  }
}

/**
 * Adds nodes, initializers and inputs to `graph` (in place) and, with `reroute`, splices
 * them into an existing edge — e.g. a LoRA graft `y' = y + (x·A)·B` on a MatMul output.
 * A node-produced tensor keeps its name downstream: the producer's output is renamed to a
 * fresh `<tensor>_base` and the subgraph's replacement takes over the original name, so
 * graph outputs such as `logits` keep their names. The result is re-sorted topologically.
 */
export function insertSubgraph(graph: GraphProto, insertion: SubgraphInsertion): InsertedSubgraph {
  checkCollisions(graph, insertion);
  let existing = graph.node ?? [];
  let nodes = insertion.nodes;
  let originalName: string | undefined;
  if (insertion.reroute) {
    const { tensor, replacement } = insertion.reroute;
    if (!definedNames(graph).has(tensor)) {
      throw new OnnxError('ONNX_TENSOR_NOT_FOUND', `Cannot reroute "${tensor}": no such tensor`);
    }
    if (!nodes.some((n) => n.output?.includes(replacement))) {
      throw new OnnxError(
        'ONNX_GRAPH_INVALID',
        `The subgraph never writes its replacement "${replacement}"`,
      );
    }
    const producer = producerOf(graph, tensor);
    if (producer) {
      const base = uniqueName(graph, `${tensor}_base`);
      originalName = base;
      existing = existing.map((n) =>
        n === producer ? { ...n, output: rename(n.output, tensor, base) } : n,
      );
      nodes = nodes.map((n) => ({
        ...n,
        input: rename(rename(n.input, tensor, base), replacement, tensor),
        output: rename(n.output, replacement, tensor),
      }));
    } else {
      // A graph input or initializer cannot be renamed without changing the interface:
      // point its readers at the replacement instead.
      originalName = tensor;
      existing = existing.map((n) =>
        n.input?.includes(tensor) ? { ...n, input: rename(n.input, tensor, replacement) } : n,
      );
    }
  }
  // Build and sort a candidate first, so a failed insertion leaves the graph untouched.
  const candidate: GraphProto = {
    ...graph,
    node: [...existing, ...nodes],
    initializer: [...(graph.initializer ?? []), ...(insertion.initializers ?? [])],
    input: [...(graph.input ?? []), ...(insertion.inputs ?? [])],
  };
  topologicalSort(candidate);
  Object.assign(graph, candidate);
  return originalName === undefined ? {} : { originalName };
}

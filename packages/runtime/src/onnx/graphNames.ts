import { subgraphsOf } from './attribute';
import type { GraphProto, NodeProto } from './proto';

/** Names a graph defines without a node: its inputs, initializers and sparse initializers. */
export function sourceNames(graph: GraphProto): Set<string> {
  const names = new Set<string>();
  for (const input of graph.input ?? []) if (input.name) names.add(input.name);
  for (const tensor of graph.initializer ?? []) if (tensor.name) names.add(tensor.name);
  for (const sparse of graph.sparse_initializer ?? [])
    if (sparse.values?.name) names.add(sparse.values.name);
  return names;
}

/** Every tensor name the graph defines: sources plus every node output. */
export function definedNames(graph: GraphProto): Set<string> {
  const names = sourceNames(graph);
  for (const node of graph.node ?? [])
    for (const output of node.output ?? []) if (output) names.add(output);
  return names;
}

/**
 * Outer-scope names a node reads through its subgraphs (If/Loop/Scan bodies): names used
 * inside a body that the body does not define itself. They are real dependencies for ordering.
 */
export function implicitInputs(node: NodeProto): string[] {
  const found = new Set<string>();
  for (const body of subgraphsOf(node.attribute)) {
    const local = definedNames(body);
    for (const inner of body.node ?? []) {
      for (const name of [...(inner.input ?? []), ...implicitInputs(inner)]) {
        if (name && !local.has(name)) found.add(name);
      }
    }
  }
  return [...found];
}

/** A name not yet defined in the graph, derived from `base`. */
export function uniqueName(graph: GraphProto, base: string): string {
  const taken = definedNames(graph);
  if (!taken.has(base)) return base;
  for (let i = 1; ; i++) {
    const candidate = `${base}_${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The node that outputs `tensor`, if a node does. */
export function producerOf(graph: GraphProto, tensor: string): NodeProto | undefined {
  return graph.node?.find((node) => node.output?.includes(tensor));
}

/** Nodes that read `tensor` directly. */
export function consumersOf(graph: GraphProto, tensor: string): NodeProto[] {
  return (graph.node ?? []).filter((node) => node.input?.includes(tensor));
}

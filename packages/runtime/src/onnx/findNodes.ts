import { subgraphsOf } from './attribute';
import type { GraphProto, NodeProto } from './proto';

/** An exact node name, a RegExp tested against names, or a predicate. */
export type NodePattern = string | RegExp | ((node: NodeProto, graph: GraphProto) => boolean);

export interface FoundNode {
  node: NodeProto;
  /** The graph holding the node (the main graph, or an If/Loop/Scan body). */
  graph: GraphProto;
}

export interface FindNodesOptions {
  /** Also search subgraphs (If branches in merged decoders, Loop bodies). Default false. */
  subgraphs?: boolean;
}

function matches(pattern: NodePattern, node: NodeProto, graph: GraphProto): boolean {
  if (typeof pattern === 'string') return node.name === pattern;
  if (pattern instanceof RegExp) {
    pattern.lastIndex = 0;
    return pattern.test(node.name ?? '');
  }
  return pattern(node, graph);
}

/** Nodes matching `pattern`, in graph order (depth-first into subgraphs when asked). */
export function findNodes(
  graph: GraphProto,
  pattern: NodePattern,
  options: FindNodesOptions = {},
): FoundNode[] {
  const found: FoundNode[] = [];
  for (const node of graph.node ?? []) {
    if (matches(pattern, node, graph)) found.push({ node, graph });
    if (options.subgraphs) {
      for (const body of subgraphsOf(node.attribute))
        found.push(...findNodes(body, pattern, options));
    }
  }
  return found;
}

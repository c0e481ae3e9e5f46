import type { AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto } from './proto';

/** Rewrites one tensor; return the same object to keep it. */
export type TensorMapper = (tensor: TensorProto) => TensorProto;

function mapAttribute(attribute: AttributeProto, fn: TensorMapper): AttributeProto {
  if (!attribute.t && !attribute.tensors && !attribute.g && !attribute.graphs) return attribute;
  const mapped: AttributeProto = { ...attribute };
  if (attribute.t) mapped.t = fn(attribute.t);
  if (attribute.tensors) mapped.tensors = attribute.tensors.map(fn);
  if (attribute.g) mapped.g = mapGraphTensors(attribute.g, fn);
  if (attribute.graphs) mapped.graphs = attribute.graphs.map((g) => mapGraphTensors(g, fn));
  return mapped;
}

function mapNode(node: NodeProto, fn: TensorMapper): NodeProto {
  if (!node.attribute?.length) return node;
  return { ...node, attribute: node.attribute.map((a) => mapAttribute(a, fn)) };
}

/**
 * A copy of the graph with every tensor (initializers, sparse initializer parts, tensor
 * attributes, nested subgraphs) passed through `fn`. Untouched parts are shared, not
 * copied, so this is cheap even for models with gigabytes of weights.
 */
export function mapGraphTensors(graph: GraphProto, fn: TensorMapper): GraphProto {
  const mapped: GraphProto = { ...graph };
  if (graph.initializer) mapped.initializer = graph.initializer.map(fn);
  if (graph.sparse_initializer) {
    mapped.sparse_initializer = graph.sparse_initializer.map((sparse) => ({
      ...sparse,
      ...(sparse.values ? { values: fn(sparse.values) } : {}),
      ...(sparse.indices ? { indices: fn(sparse.indices) } : {}),
    }));
  }
  if (graph.node) mapped.node = graph.node.map((n) => mapNode(n, fn));
  return mapped;
}

/** `mapGraphTensors` over a whole model (its main graph). */
export function mapModelTensors(model: ModelProto, fn: TensorMapper): ModelProto {
  return model.graph ? { ...model, graph: mapGraphTensors(model.graph, fn) } : model;
}

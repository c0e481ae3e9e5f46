import { definedNames } from './graphNames';
import { inferElemType } from './inferElemType';
import { OnnxError } from './OnnxError';
import type { GraphProto, TensorShapeDimension, ValueInfoProto } from './proto';

export interface ExposeTensorOptions {
  /** Output name; defaults to the tensor's own name. A different name adds an Identity node. */
  as?: string;
  /** Element type (a `DataType` code); inferred when omitted. */
  elemType?: number;
  /** Shape to declare: numbers are fixed sizes, strings symbolic names. Taken from value_info when omitted. */
  shape?: readonly (number | string)[];
}

function shapeOf(dims: readonly (number | string)[]): { dim: TensorShapeDimension[] } {
  return { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) };
}

/**
 * Makes an intermediate tensor a graph output, so ORT returns it (e.g. attention queries
 * for a press, hidden states for a probe). Mutates and returns `graph`; the output gets an
 * element type and, when known, a (symbolic) shape; without one, ORT infers the shape.
 * Exposing a tensor that is already an output under that name is a no-op.
 */
export function exposeTensor(
  graph: GraphProto,
  tensor: string,
  options: ExposeTensorOptions = {},
): ValueInfoProto {
  const name = options.as ?? tensor;
  const existing = graph.output?.find((o) => o.name === name);
  if (existing && name === tensor) return existing;
  const defined = definedNames(graph);
  if (!defined.has(tensor)) {
    throw new OnnxError(
      'ONNX_TENSOR_NOT_FOUND',
      `No tensor named "${tensor}" in graph "${graph.name ?? ''}"`,
    );
  }
  if (name !== tensor && (defined.has(name) || existing)) {
    throw new OnnxError(
      'ONNX_NAME_COLLISION',
      `Cannot expose "${tensor}" as "${name}": the name is taken`,
    );
  }
  const known = graph.value_info?.find((v) => v.name === tensor)?.type?.tensor_type;
  const elemType = options.elemType ?? known?.elem_type ?? inferElemType(graph, tensor);
  const shape = options.shape ? shapeOf(options.shape) : known?.shape;
  if (name !== tensor) {
    graph.node = [
      ...(graph.node ?? []),
      { name: `${name}/Identity`, op_type: 'Identity', input: [tensor], output: [name] },
    ];
  }
  const info: ValueInfoProto = {
    name,
    type: { tensor_type: { elem_type: elemType, ...(shape ? { shape } : {}) } },
  };
  graph.output = [...(graph.output ?? []), info];
  return info;
}

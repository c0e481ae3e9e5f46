import { type AttributeProto, AttributeType, type GraphProto, type TensorProto } from './proto';

/** Builders for node attributes, each setting the `type` tag ORT requires. */
export const attribute = {
  int: (name: string, value: number): AttributeProto => ({
    name,
    type: AttributeType.INT,
    i: value,
  }),
  ints: (name: string, values: readonly number[]): AttributeProto => ({
    name,
    type: AttributeType.INTS,
    ints: [...values],
  }),
  float: (name: string, value: number): AttributeProto => ({
    name,
    type: AttributeType.FLOAT,
    f: value,
  }),
  floats: (name: string, values: readonly number[]): AttributeProto => ({
    name,
    type: AttributeType.FLOATS,
    floats: [...values],
  }),
  string: (name: string, value: string): AttributeProto => ({
    name,
    type: AttributeType.STRING,
    s: new TextEncoder().encode(value),
  }),
  tensor: (name: string, value: TensorProto): AttributeProto => ({
    name,
    type: AttributeType.TENSOR,
    t: value,
  }),
  graph: (name: string, value: GraphProto): AttributeProto => ({
    name,
    type: AttributeType.GRAPH,
    g: value,
  }),
};

/** Reads an integer attribute of a node, if present. */
export function intAttribute(attributes: readonly AttributeProto[] | undefined, name: string) {
  return attributes?.find((a) => a.name === name)?.i;
}

/** The subgraphs a node carries in `g`/`graphs` attributes (If, Loop, Scan bodies). */
export function subgraphsOf(attributes: readonly AttributeProto[] | undefined): GraphProto[] {
  const graphs: GraphProto[] = [];
  for (const a of attributes ?? []) {
    if (a.g) graphs.push(a.g);
    if (a.graphs) graphs.push(...a.graphs);
  }
  return graphs;
}

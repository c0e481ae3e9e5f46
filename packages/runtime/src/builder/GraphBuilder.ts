import { attribute } from '../onnx/attribute';
import { DataType } from '../onnx/dataType';
import { MS_DOMAIN } from '../onnx/domains';
import type {
  AttributeProto,
  NodeProto,
  TensorProto,
  TensorShapeDimension,
  ValueInfoProto,
} from '../onnx/proto';
import { makeTensor } from '../onnx/tensor';

/** A dimension: a fixed size or a symbolic name such as `batch_size`. */
export type Dim = number | string;

/** A typed, shaped graph input or output declaration. */
export function valueInfo(name: string, elemType: number, dims: readonly Dim[]): ValueInfoProto {
  const dim: TensorShapeDimension[] = dims.map((d) =>
    typeof d === 'number' ? { dim_value: d } : { dim_param: d },
  );
  return { name, type: { tensor_type: { elem_type: elemType, shape: { dim } } } };
}

/**
 * Accumulates nodes and initializers in the order they are added (which is topological,
 * because every node only reads tensors that already exist). Node outputs are named the
 * way optimum's exporter names them: `<node name>_output_<i>`.
 */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly constants = new Map<string, string>();

  /** Adds a node and returns its output names; pass `outputs` to name them explicitly. */
  node(
    name: string,
    opType: string,
    inputs: readonly string[],
    attributes: readonly AttributeProto[] = [],
    outputs: number | readonly string[] = 1,
    domain?: string,
  ): string[] {
    const outputNames =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, (_, i) => `${name}_output_${i}`)
        : [...outputs];
    this.nodes.push({
      name,
      op_type: opType,
      input: [...inputs],
      output: outputNames,
      ...(attributes.length ? { attribute: [...attributes] } : {}),
      ...(domain ? { domain } : {}),
    });
    return outputNames;
  }

  /** A `com.microsoft` contrib-op node (GroupQueryAttention, MatMulNBits, RotaryEmbedding). */
  contrib(
    name: string,
    opType: string,
    inputs: readonly string[],
    attributes: readonly AttributeProto[] = [],
    outputs: number | readonly string[] = 1,
  ): string[] {
    return this.node(name, opType, inputs, attributes, outputs, MS_DOMAIN);
  }

  /** A single-output node (the common case). */
  op(
    name: string,
    opType: string,
    inputs: readonly string[],
    attributes: readonly AttributeProto[] = [],
    output?: string,
  ): string {
    const [out] = this.node(name, opType, inputs, attributes, output ? [output] : 1);
    return out!;
  }

  /** Adds a weight initializer under its checkpoint name. */
  weight(name: string, dims: readonly number[], values: Float32Array): string {
    return this.initializer(name, DataType.FLOAT, dims, values);
  }

  /** Adds an initializer of any fixed-width element type (quantized weights, scales, fp16). */
  initializer(name: string, dataType: number, dims: readonly number[], values: ArrayBufferView) {
    this.initializers.push(makeTensor(name, dataType, dims, values));
    return name;
  }

  /** A shared `Constant` node for an int64 tensor (scalar when `dims` is empty). */
  int64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant(
      DataType.INT64,
      dims,
      BigInt64Array.from(values.map(BigInt)),
      `i64:${dims}:${values}`,
    );
  }

  /** A shared `Constant` node for a float32 tensor (scalar when `dims` is empty). */
  float(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant(DataType.FLOAT, dims, Float32Array.from(values), `f32:${dims}:${values}`);
  }

  private constant(
    dataType: number,
    dims: readonly number[],
    values: ArrayBufferView,
    key: string,
  ) {
    const existing = this.constants.get(key);
    if (existing) return existing;
    const name = `/model/constants/Constant_${this.constants.size}`;
    const output = this.op(
      name,
      'Constant',
      [],
      [attribute.tensor('value', makeTensor(`${name}_value`, dataType, dims, values))],
    );
    this.constants.set(key, output);
    return output;
  }
}

import { intAttribute } from './attribute';
import { DataType } from './dataType';
import { MS_DOMAIN } from './domains';
import { OnnxError } from './OnnxError';
import type { GraphProto, NodeProto } from './proto';

const BOOL_OPS = new Set([
  'Equal',
  'Less',
  'LessOrEqual',
  'Greater',
  'GreaterOrEqual',
  'And',
  'Or',
  'Xor',
  'Not',
  'IsNaN',
  'IsInf',
]);
const INT64_OPS = new Set(['Shape', 'Size', 'NonZero', 'ArgMax', 'ArgMin', 'NonMaxSuppression']);
/**
 * com.microsoft ops whose first output has the type of their first input, as the decoders
 * onnxruntime-genai writes use them (int4 `MatMulNBits` keeps its activations' type).
 */
const MS_FOLLOW_INPUT_0 = new Set([
  'MatMulNBits',
  'RotaryEmbedding',
  'GroupQueryAttention',
  'MultiHeadAttention',
  'SimplifiedLayerNormalization',
  'SkipSimplifiedLayerNormalization',
  'SkipLayerNormalization',
]);
/** Ops whose output type is the type of the given input (the rest follow input 0). */
const FOLLOWS_INPUT: Readonly<Record<string, number>> = { Where: 1, Expand: 0 };

function fromNode(
  node: NodeProto,
  outputIndex: number,
  lookup: (name: string) => number | undefined,
) {
  const op = node.op_type ?? '';
  const domain = node.domain ?? '';
  if (domain === MS_DOMAIN) {
    const source = node.input?.[0];
    return MS_FOLLOW_INPUT_0.has(op) && outputIndex === 0 && source ? lookup(source) : undefined;
  }
  if (domain !== '' && domain !== 'ai.onnx') return undefined;
  if (op === 'Cast') return intAttribute(node.attribute, 'to');
  if (op === 'CastLike') return lookup(node.input?.[1] ?? '');
  if (BOOL_OPS.has(op)) return DataType.BOOL;
  if (INT64_OPS.has(op)) return DataType.INT64;
  if (op === 'TopK' && outputIndex === 1) return DataType.INT64;
  if (op === 'Constant' || op === 'ConstantOfShape') {
    const attribute = node.attribute?.find((a) => a.name?.startsWith('value'));
    if (!attribute) return op === 'ConstantOfShape' ? DataType.FLOAT : undefined;
    if (attribute.t) return attribute.t.data_type;
    if (attribute.name === 'value_float' || attribute.name === 'value_floats')
      return DataType.FLOAT;
    if (attribute.name === 'value_int' || attribute.name === 'value_ints') return DataType.INT64;
    if (attribute.name === 'value_string' || attribute.name === 'value_strings')
      return DataType.STRING;
    return undefined;
  }
  const source = node.input?.[FOLLOWS_INPUT[op] ?? 0];
  return source ? lookup(source) : undefined;
}

/**
 * The element type of a tensor: declared (inputs, value_info, outputs, initializers) or
 * propagated through standard ONNX ops (Cast's `to`, comparisons → bool, Shape → int64,
 * the rest follow their data input) and the com.microsoft ops decoders use (`MatMulNBits`,
 * `GroupQueryAttention`, …). Throws when it cannot be determined, e.g. behind other
 * custom-domain ops, rather than guessing.
 */
export function inferElemType(graph: GraphProto, tensor: string): number {
  const declared = new Map<string, number>();
  for (const info of [
    ...(graph.input ?? []),
    ...(graph.value_info ?? []),
    ...(graph.output ?? []),
  ]) {
    const type = info.type?.tensor_type?.elem_type;
    if (info.name && type) declared.set(info.name, type);
  }
  for (const init of graph.initializer ?? [])
    if (init.name && init.data_type) declared.set(init.name, init.data_type);
  const producers = new Map<string, [NodeProto, number]>();
  for (const node of graph.node ?? []) {
    node.output?.forEach((output, index) => {
      producers.set(output, [node, index]);
    });
  }
  const visiting = new Set<string>();
  const lookup = (name: string): number | undefined => {
    const known = declared.get(name);
    if (known !== undefined) return known;
    const producer = producers.get(name);
    if (!producer || visiting.has(name)) return undefined;
    visiting.add(name);
    const type = fromNode(producer[0], producer[1], lookup);
    visiting.delete(name);
    if (type !== undefined) declared.set(name, type);
    return type;
  };
  const type = lookup(tensor);
  if (type === undefined || type === DataType.UNDEFINED) {
    throw new OnnxError('ONNX_TYPE_UNKNOWN', `Cannot infer the element type of "${tensor}"`, {
      details: 'pass the type explicitly (elemType)',
    });
  }
  return type;
}

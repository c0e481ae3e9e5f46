import { open, readFile, stat } from 'node:fs/promises';
import { intAttribute, subgraphsOf } from '../onnx/attribute';
import { decodeModel } from '../onnx/codec';
import { isOnnxDomain, MS_DOMAIN } from '../onnx/domains';
import { DataLocation, type GraphProto, type NodeProto } from '../onnx/proto';
import { ModelDirError } from './ModelDirError';

/** One GroupQueryAttention node: what decides whether it can take explicit positions. */
export interface GqaNodeSummary {
  name: string;
  numHeads: number;
  kvNumHeads: number;
  doRotary: boolean;
  rotaryInterleaved: boolean;
  localWindowSize: number;
  /** Q, K and V arrive packed in the query input. */
  packedQkv: boolean;
}

/** What a decoder graph is built from, read from its protobuf without its weights. */
export interface GraphSummary {
  /** `domain:op_type` (empty domain for ONNX) → node count, subgraphs included. */
  ops: ReadonlyMap<string, number>;
  /** Operator-set domain → version. */
  opsets: ReadonlyMap<string, number>;
  /** External-data files the graph's tensors point into, relative to the graph's folder. */
  externalData: readonly string[];
  gqa: readonly GqaNodeSummary[];
  /** bits and block_size of the MatMulNBits nodes (the first one's; exporters use one setting). */
  nbits: { bits: number; blockSize: number } | undefined;
  /** False when the file was too large to decode and only op names were scanned for. */
  complete: boolean;
}

/** Graph files above this size are scanned for op names instead of decoded (inline weights). */
export const GRAPH_DECODE_LIMIT = 256 * 1024 * 1024;

/** Ops whose presence decides the signature, searched for in files too large to decode. */
const SCANNED_OPS = [
  'GroupQueryAttention',
  'MatMulNBits',
  'DequantizeLinear',
  'RotaryEmbedding',
  'MultiHeadAttention',
];

export const opKey = (domain: string | undefined, op: string): string =>
  `${isOnnxDomain(domain) ? '' : domain}:${op}`;

/** Reads a graph file's ops, opsets, GQA nodes and external-data references. */
export async function readGraphSummary(modelPath: string): Promise<GraphSummary> {
  let size: number;
  try {
    size = (await stat(modelPath)).size;
  } catch (cause) {
    throw new ModelDirError('MODEL_FILE_MISSING', `cannot read ${modelPath}`, { cause });
  }
  if (size > GRAPH_DECODE_LIMIT) return scanGraph(modelPath);
  let model: ReturnType<typeof decodeModel>;
  try {
    model = decodeModel(await readFile(modelPath));
  } catch (cause) {
    throw new ModelDirError('MODEL_GRAPH_INVALID', `${modelPath} is not an ONNX model`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
  const ops = new Map<string, number>();
  const externalData = new Set<string>();
  const gqa: GqaNodeSummary[] = [];
  let nbits: GraphSummary['nbits'];
  const visit = (graph: GraphProto) => {
    for (const tensor of graph.initializer ?? []) {
      if (tensor.data_location !== DataLocation.EXTERNAL) continue;
      const location = tensor.external_data?.find((e) => e.key === 'location')?.value;
      if (location) externalData.add(location);
    }
    for (const node of graph.node ?? []) {
      const key = opKey(node.domain, node.op_type ?? '');
      ops.set(key, (ops.get(key) ?? 0) + 1);
      if (key === `${MS_DOMAIN}:GroupQueryAttention`) gqa.push(gqaSummary(node));
      if (key === `${MS_DOMAIN}:MatMulNBits` && nbits === undefined) {
        nbits = {
          bits: intAttribute(node.attribute, 'bits') ?? 4,
          blockSize: intAttribute(node.attribute, 'block_size') ?? 0,
        };
      }
      for (const sub of subgraphsOf(node.attribute)) visit(sub);
    }
  };
  visit(model.graph ?? {});
  const opsets = new Map<string, number>();
  for (const { domain, version } of model.opset_import ?? []) {
    opsets.set(isOnnxDomain(domain) ? '' : domain!, Number(version ?? 0));
  }
  return { ops, opsets, externalData: [...externalData], gqa, nbits, complete: true };
}

function gqaSummary(node: NodeProto): GqaNodeSummary {
  const inputs = node.input ?? [];
  return {
    name: node.name ?? '',
    numHeads: intAttribute(node.attribute, 'num_heads') ?? 0,
    kvNumHeads: intAttribute(node.attribute, 'kv_num_heads') ?? 0,
    doRotary: (intAttribute(node.attribute, 'do_rotary') ?? 0) === 1,
    rotaryInterleaved: (intAttribute(node.attribute, 'rotary_interleaved') ?? 0) === 1,
    localWindowSize: intAttribute(node.attribute, 'local_window_size') ?? -1,
    packedQkv: !inputs[1],
  };
}

/** Op names only, streamed (`op_type` is stored verbatim, so its bytes appear iff a node uses it). */
async function scanGraph(modelPath: string): Promise<GraphSummary> {
  const needles = SCANNED_OPS.map((op) => ({ op, bytes: Buffer.from(op, 'utf8') }));
  const longest = Math.max(...needles.map((n) => n.bytes.length));
  const found = new Set<string>();
  const chunk = 1 << 20;
  const buffer = Buffer.alloc(chunk + longest);
  const handle = await open(modelPath, 'r');
  try {
    let carry = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, carry, chunk, null);
      if (bytesRead === 0) break;
      const end = carry + bytesRead;
      const window = buffer.subarray(0, end);
      for (const { op, bytes } of needles) if (window.includes(bytes)) found.add(op);
      carry = Math.min(longest - 1, end);
      buffer.copy(buffer, 0, end - carry, end);
    }
  } finally {
    await handle.close();
  }
  const ops = new Map<string, number>();
  for (const op of found) ops.set(opKey(op === 'DequantizeLinear' ? '' : MS_DOMAIN, op), 1);
  return { ops, opsets: new Map(), externalData: [], gqa: [], nbits: undefined, complete: false };
}

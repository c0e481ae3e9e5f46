import { stat } from 'node:fs/promises';
import { intAttribute, subgraphsOf } from '../onnx/attribute';
import { isOnnxDomain, MS_DOMAIN } from '../onnx/domains';
import { OnnxError } from '../onnx/OnnxError';
import type { GraphProto, NodeProto } from '../onnx/proto';
import { readModelSkeleton } from '../onnx/readModelSkeleton';
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
  /** Graph input and output names. */
  inputs: readonly string[];
  outputs: readonly string[];
  /** Names of the top-level graph's nodes (exporters name them `/model/layers.N/self_attn/...`). */
  nodeNames: readonly string[];
  gqa: readonly GqaNodeSummary[];
  /** bits and block_size of the MatMulNBits nodes (the first one's; exporters use one setting). */
  nbits: { bits: number; blockSize: number } | undefined;
}

export const opKey = (domain: string | undefined, op: string): string =>
  `${isOnnxDomain(domain) ? '' : domain}:${op}`;

/** Summaries already read in this process, by file identity (device, inode, size, mtime). */
const summaries = new Map<string, GraphSummary>();
const SUMMARIES_KEPT = 32;

/**
 * Reads a graph file's ops, opsets, I/O, GQA nodes and external-data references
 * (`readModelSkeleton`). A file read before and unchanged since (same inode, size and mtime)
 * is not read again: a load reads its graph's summary once, however many steps consult it
 * (the Hub cache check, the resolver, the positions rewrite).
 */
export async function readGraphSummary(modelPath: string): Promise<GraphSummary> {
  const info = await stat(modelPath).catch(() => undefined);
  const key = info && `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
  const known = key === undefined ? undefined : summaries.get(key);
  if (known) return known;
  const summary = await readSummary(modelPath);
  if (key !== undefined) {
    if (summaries.size >= SUMMARIES_KEPT) summaries.delete(summaries.keys().next().value!);
    summaries.set(key, summary);
  }
  return summary;
}

async function readSummary(modelPath: string): Promise<GraphSummary> {
  let skeleton: Awaited<ReturnType<typeof readModelSkeleton>>;
  try {
    skeleton = await readModelSkeleton(modelPath);
  } catch (cause) {
    if (cause instanceof OnnxError && cause.code === 'ONNX_FILE_UNREADABLE') {
      throw new ModelDirError('MODEL_FILE_MISSING', `cannot read ${modelPath}`, { cause });
    }
    throw new ModelDirError('MODEL_GRAPH_INVALID', `${modelPath} is not an ONNX model`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
  const { model } = skeleton;
  const ops = new Map<string, number>();
  const gqa: GqaNodeSummary[] = [];
  let nbits: GraphSummary['nbits'];
  const visit = (graph: GraphProto) => {
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
  const graph = model.graph ?? {};
  visit(graph);
  const opsets = new Map<string, number>();
  for (const { domain, version } of model.opset_import ?? []) {
    opsets.set(isOnnxDomain(domain) ? '' : domain!, Number(version ?? 0));
  }
  return {
    ops,
    opsets,
    externalData: skeleton.externalData,
    inputs: (graph.input ?? []).map((i) => i.name ?? ''),
    outputs: (graph.output ?? []).map((o) => o.name ?? ''),
    nodeNames: (graph.node ?? []).map((n) => n.name ?? ''),
    gqa,
    nbits,
  };
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

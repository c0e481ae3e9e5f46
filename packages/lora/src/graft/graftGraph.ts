import type { GraphProto, ModelProto, NodeProto, ValueInfoProto } from '@signal/runtime';
import { DataType } from '@signal/runtime';
import { LoraError } from '../errors/LoraError';
import type { LoraTarget } from '../peft/LoraAdapter';
import { loraInputName } from '../peft/moduleNames';
import { findGraphLinears, selectLinears, type TargetSelector } from './findLoraTargets';

/** The leading dim of every adapter input: the batch for per-row adapters, or 1 to broadcast. */
export const LORA_BATCH_DIM = 'lora_batch';

/** Each module has its own symbolic rank, so rank_pattern adapters need no padding across modules. */
export function loraRankDim(module: string): string {
  return `lora_rank.${module}`;
}

export interface GraftedTarget extends LoraTarget {
  readonly node: string;
}

function floatInput(name: string, dims: ReadonlyArray<number | string>): ValueInfoProto {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: DataType.FLOAT,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })),
        },
      },
    },
  };
}

/**
 * Rewrites each selected `y = MatMul(x, W)` into `y = MatMul(x, W) + MatMul(MatMul(x, A), B)`
 * with A `[lora_batch, in, r]` and B `[lora_batch, r, out]` as graph inputs. MatMul broadcasts
 * the leading dim against x's batch, so one adapter (dim 1) or one per row (dim = batch) both
 * work, and rank 0 makes the extra term an exact zero. `y` keeps its name, so consumers and
 * graph outputs are untouched; the new nodes follow the MatMul, keeping the order topological.
 */
export function graftGraph(
  model: ModelProto,
  targets: TargetSelector,
): { model: ModelProto; grafted: GraftedTarget[] } {
  const graph = model.graph;
  if (!graph) throw new LoraError('LORA_GRAFT_INVALID', 'The ONNX model has no graph');
  if ((graph.input ?? []).some((i) => /\.lora_[AB]$/.test(i.name ?? ''))) {
    throw new LoraError(
      'LORA_GRAFT_INVALID',
      'The model is already grafted (it has .lora_A/.lora_B inputs)',
    );
  }
  const selected = selectLinears(findGraphLinears(graph), targets);
  if (selected.length === 0) {
    throw new LoraError(
      'LORA_TARGET_MISSING',
      `No linear layer of the model matches targets ${JSON.stringify(targets)}`,
    );
  }
  if (typeof targets !== 'string') {
    for (const target of targets) {
      if (!selected.some((l) => l.module === target || l.module.endsWith(`.${target}`))) {
        throw new LoraError(
          'LORA_TARGET_MISSING',
          `The model has no linear layer for target module ${target}`,
        );
      }
    }
  }
  const byNode = new Map(selected.map((l) => [l.node, l]));
  const nodes: NodeProto[] = [];
  const inputs: ValueInfoProto[] = [];
  const grafted: GraftedTarget[] = [];
  for (const node of graph.node ?? []) {
    const linear = byNode.get(node);
    if (!linear) {
      nodes.push(node);
      continue;
    }
    const { module, inFeatures, outFeatures } = linear;
    const name = node.name || `/${module.split('.').join('/')}/MatMul`;
    const y = node.output?.[0];
    const x = node.input?.[0];
    if (!y || !x)
      throw new LoraError('LORA_GRAFT_INVALID', `MatMul ${name} lacks an input or output`);
    const a = loraInputName(module, 'A');
    const b = loraInputName(module, 'B');
    const rank = loraRankDim(module);
    inputs.push(
      floatInput(a, [LORA_BATCH_DIM, inFeatures, rank]),
      floatInput(b, [LORA_BATCH_DIM, rank, outFeatures]),
    );
    const base = `${y}/lora_base`;
    const down = `${y}/lora_down`;
    const delta = `${y}/lora_delta`;
    nodes.push(
      { ...node, output: [base, ...(node.output ?? []).slice(1)] },
      { name: `${name}/lora_A`, op_type: 'MatMul', input: [x, a], output: [down] },
      { name: `${name}/lora_B`, op_type: 'MatMul', input: [down, b], output: [delta] },
      { name: `${name}/lora_Add`, op_type: 'Add', input: [base, delta], output: [y] },
    );
    grafted.push({ module, node: name, inFeatures, outFeatures });
  }
  const out: GraphProto = { ...graph, node: nodes, input: [...(graph.input ?? []), ...inputs] };
  return { model: { ...model, graph: out }, grafted };
}

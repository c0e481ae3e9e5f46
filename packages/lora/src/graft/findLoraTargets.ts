import type { GraphProto, NodeProto, TensorProto } from '@signal/runtime';
import { DataType } from '@signal/runtime';
import { AdapterConfigSchema } from '../peft/AdapterConfig';
import type { LoraTarget } from '../peft/LoraAdapter';
import { initializerToModule, nodeNameToModule } from '../peft/moduleNames';
import { isTargetModule } from '../peft/targetMatching';

/** A linear layer found in a graph: the MatMul that computes it and its weight initializer. */
export interface GraphLinear extends LoraTarget {
  readonly node: NodeProto;
  readonly weight: TensorProto;
}

/**
 * Every `MatMul(x, W)` whose W is a 2-D float initializer, named by module path: from the
 * initializer (`model.layers.0.self_attn.q_proj.weight`, the builder's and optimum's naming)
 * or, for exports that rename weights (`onnx::MatMul_123`), from the node name.
 */
export function findGraphLinears(graph: GraphProto): GraphLinear[] {
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const out: GraphLinear[] = [];
  for (const node of graph.node ?? []) {
    if (node.op_type !== 'MatMul' || (node.domain ?? '') !== '') continue;
    const weight = initializers.get(node.input?.[1] ?? '');
    if (!weight || weight.data_type !== DataType.FLOAT || weight.dims?.length !== 2) continue;
    const module = initializerToModule(weight.name ?? '') ?? nodeNameToModule(node.name ?? '');
    if (module === undefined) continue;
    out.push({ module, node, weight, inFeatures: weight.dims[0]!, outFeatures: weight.dims[1]! });
  }
  return out;
}

/** Module selectors as PEFT reads `target_modules`: a list of names/suffixes, or a full-match regex. */
export type TargetSelector = readonly string[] | string;

export function selectLinears(
  linears: readonly GraphLinear[],
  targets: TargetSelector,
): GraphLinear[] {
  const config = AdapterConfigSchema.parse({
    target_modules: typeof targets === 'string' ? targets : [...targets],
  });
  return linears.filter((l) => isTargetModule(config, l.module));
}

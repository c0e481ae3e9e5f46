import type { GraphSummary } from './GraphSummary';

/**
 * Whether a model loaded with `CausalLM.load` (explicit positions, the default) can continue
 * from a pruned cache, read from its graph alone: it takes `position_ids`, or its
 * GroupQueryAttention nodes apply rotary themselves and are rewritten to take them.
 */
export function prunedCacheSupport(
  graph: GraphSummary,
): { ok: true } | { ok: false; reason: string } {
  if (graph.gqa.some((n) => n.doRotary)) return { ok: true };
  if (graph.inputs.includes('position_ids')) return { ok: true };
  return { ok: false, reason: 'its graph takes no position_ids and numbers positions itself' };
}

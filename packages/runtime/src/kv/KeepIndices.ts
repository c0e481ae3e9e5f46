/**
 * Which cached positions a pruned cache keeps. Three granularities, from coarse to fine:
 * the same positions everywhere; per kv head (same in every layer); per layer and kv head.
 * Every head of every layer must keep the same number of positions, because the cache is
 * one dense `[batch, kv_heads, kept, head_dim]` tensor per layer.
 */
export type KeepIndices =
  | readonly number[]
  | readonly (readonly number[])[]
  | readonly (readonly (readonly number[])[])[];

/** Resolves any KeepIndices form to the list for one layer and head. */
export function keepFor(keep: KeepIndices, layer: number, head: number): readonly number[] {
  const first = keep[0];
  if (first === undefined || typeof first === 'number') return keep as readonly number[];
  const firstInner = (first as readonly unknown[])[0];
  if (firstInner === undefined || typeof firstInner === 'number') {
    return (keep as readonly (readonly number[])[])[head] ?? [];
  }
  return (keep as readonly (readonly (readonly number[])[])[])[layer]?.[head] ?? [];
}

/** The granularity a KeepIndices value was written at. */
export function keepDepth(keep: KeepIndices): 1 | 2 | 3 {
  const first = keep[0];
  if (first === undefined || typeof first === 'number') return 1;
  const firstInner = (first as readonly unknown[])[0];
  return firstInner === undefined || typeof firstInner === 'number' ? 2 : 3;
}

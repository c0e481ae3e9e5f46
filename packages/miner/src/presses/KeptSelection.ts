/**
 * Which cache positions survive, per layer and per KV head: `layers[layer][head]` holds the kept
 * positions in ascending order (so the pruned cache keeps token order). Every head of every
 * layer keeps exactly `kept` positions, as a rectangular pruned cache requires.
 */
export interface KeptSelection {
  readonly originalLength: number;
  readonly kept: number;
  readonly layers: readonly (readonly Int32Array[])[];
}

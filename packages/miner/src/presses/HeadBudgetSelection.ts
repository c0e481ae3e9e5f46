/**
 * Which cache positions survive when heads keep different counts: `layers[layer][head]` holds
 * a head's kept positions in ascending order; the heads of a layer keep `perLayer` positions
 * between them (`heads × kept`, the same total a uniform selection keeps).
 */
export interface HeadBudgetSelection {
  readonly originalLength: number;
  /** The per-head count a uniform selection would keep. */
  readonly kept: number;
  /** Positions each layer keeps over all its heads: exactly `heads × kept`. */
  readonly perLayer: number;
  /** The largest count any head of any layer keeps: the width a rectangular cache needs. */
  readonly widest: number;
  readonly layers: readonly (readonly Int32Array[])[];
}

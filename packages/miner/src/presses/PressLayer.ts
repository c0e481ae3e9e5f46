import type { Tensor3 } from './Tensor3';

/**
 * What a press may look at for one layer after prefill. Which optional parts a press needs is
 * in its registry entry (`needsQueries`, `needsPreRopeQueries`, `needsValues`).
 */
export interface PressLayer {
  /** The cached, already rotated keys `[kv_heads, len, head_dim]`. */
  readonly keys: Tensor3;
  /** The cached values `[kv_heads, len, head_dim]`. */
  readonly values?: Tensor3 | undefined;
  /** Post-RoPE queries of the context's last positions `[heads, w, head_dim]`, heads = kv_heads × group. */
  readonly queries?: Tensor3 | undefined;
  /** Pre-RoPE queries of the context's last positions `[heads, rows, head_dim]`. */
  readonly preRopeQueries?: Tensor3 | undefined;
}

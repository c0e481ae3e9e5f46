import type { Tensor3 } from './Tensor3';

/**
 * What a press may look at for one layer after prefill: the cached (post-RoPE) keys
 * `[kv_heads, len, head_dim]`, and, for presses that need them, the post-RoPE queries of the
 * context's last positions `[heads, w, head_dim]` with heads = kv_heads × group.
 */
export interface PressLayer {
  readonly keys: Tensor3;
  readonly queries?: Tensor3 | undefined;
}

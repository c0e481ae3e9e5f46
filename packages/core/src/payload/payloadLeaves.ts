import type { AnyCondensedPayload } from './CondensedPayload';
import { isQuantized } from './CondensedPayload';
import type { TensorLeaf } from './TensorLeaf';

/** What a leaf is for, so checks can hold each to its own dtype. */
export type LeafRole = 'float' | 'codes' | 'scale' | 'zero';

export interface LocatedLeaf<Leaf extends TensorLeaf = TensorLeaf> {
  /** Path segments below the payload, e.g. `['layers', 3, 'value', 'scale']`. */
  readonly at: ReadonlyArray<PropertyKey>;
  readonly leaf: Leaf;
  readonly role: LeafRole;
  /** The KV layer the leaf belongs to, if any. */
  readonly layer: number | undefined;
}

/**
 * Every tensor of a payload in the one order all transports use: layer by layer, the key
 * before the value, and a quantized half as codes, scale, zero. A binary frame lays its
 * tensors out in this order, so it streams layer by layer.
 *
 * `Leaf` is the leaf type the payload was parsed with (`BtTensor`, `TensorRef`, `RawTensor`).
 */
export function payloadLeaves<Leaf extends TensorLeaf = TensorLeaf>(
  payload: AnyCondensedPayload,
): LocatedLeaf<Leaf>[] {
  const out: LocatedLeaf<Leaf>[] = [];
  const push = (at: PropertyKey[], leaf: TensorLeaf, role: LeafRole, layer?: number) =>
    out.push({ at, leaf: leaf as Leaf, role, layer });
  if (payload.format === 'soft') push(['embeddings'], payload.embeddings, 'float');
  if (payload.format !== 'kv') return out;
  payload.layers.forEach((layer, index) => {
    for (const half of ['key', 'value'] as const) {
      const tensor = layer[half];
      const at = ['layers', index, half];
      if (!isQuantized(tensor)) {
        push(at, tensor, 'float', index);
        continue;
      }
      push([...at, 'codes'], tensor.codes, 'codes', index);
      push([...at, 'scale'], tensor.scale, 'scale', index);
      push([...at, 'zero'], tensor.zero, 'zero', index);
    }
  });
  return out;
}

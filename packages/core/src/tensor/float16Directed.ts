import { float16BitsViaFloat32, float16Value } from './codecFloat16';

/** The next half bit pattern towards −∞ (both zeros step to the smallest negative subnormal). */
function stepDown(bits: number): number {
  if (bits & 0x8000) return bits + 1;
  return bits === 0 ? 0x8001 : bits - 1;
}

/** The next half bit pattern towards +∞ (both zeros step to the smallest positive subnormal). */
function stepUp(bits: number): number {
  if (bits & 0x8000) return bits === 0x8000 ? 0x0001 : bits - 1;
  return bits + 1;
}

/**
 * The largest float16 not above `value`, as bits. A quantizer takes its zero point this way,
 * so every element of a group lies at or above it and no code has to be clamped.
 */
export function float16BitsAtMost(value: number): number {
  // Either neighbour of `value` is one step from the right answer; the check settles it.
  const bits = float16BitsViaFloat32(value);
  return float16Value(bits) > value ? stepDown(bits) : bits;
}

/**
 * The smallest float16 not below `value`, as bits. A quantizer takes its scale this way, so
 * the group's range fits in its codes.
 */
export function float16BitsAtLeast(value: number): number {
  const bits = float16BitsViaFloat32(value);
  return float16Value(bits) < value ? stepUp(bits) : bits;
}

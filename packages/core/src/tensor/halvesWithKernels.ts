import { BLOCK_ELEMENTS, kernels } from '../simd/kernels';

/**
 * float16 bits of float32 values (equal lengths, a multiple of 4) through the SIMD kernels,
 * block by block. Returns whether a result is NaN or infinite.
 */
export function narrowWithKernels(values: Float32Array, out: Uint16Array): boolean {
  const k = kernels();
  let bad = false;
  for (let at = 0; at < values.length; at += BLOCK_ELEMENTS) {
    const n = Math.min(BLOCK_ELEMENTS, values.length - at);
    k.floatsView.set(values.subarray(at, at + n));
    if (k.narrow(n) !== 0) bad = true;
    out.set(k.halvesView.subarray(0, n), at);
  }
  return bad;
}

/**
 * float32 values of float16 bits (equal lengths, a multiple of 4) through the SIMD
 * kernels, block by block. Returns whether a half is NaN or infinite.
 */
export function widenWithKernels(bits: Uint16Array, out: Float32Array): boolean {
  const k = kernels();
  let bad = false;
  for (let at = 0; at < bits.length; at += BLOCK_ELEMENTS) {
    const n = Math.min(BLOCK_ELEMENTS, bits.length - at);
    k.halvesView.set(bits.subarray(at, at + n));
    if (k.widen(n) !== 0) bad = true;
    out.set(k.floatsView.subarray(0, n), at);
  }
  return bad;
}

/** A `[in, out]` weight in `com.microsoft.MatMulNBits` 4-bit layout. */
export interface Int4Blocks {
  /** K (input features) and N (output features). */
  k: number;
  n: number;
  blockSize: number;
  /** `[N, k_blocks, block_size / 2]`: per output column, K values two to a byte, low nibble first. */
  packed: Uint8Array;
  /** `[N, k_blocks]` float32. */
  scales: Float32Array;
  /** `[N, ceil(k_blocks / 2)]`, packed like the weights. */
  zeroPoints: Uint8Array;
  /** The values the quantized form stands for, back in `[in, out]` float32: `(q - zp) · scale`. */
  dequantized: Float32Array;
}

const LEVELS = 15;

/**
 * Round-to-nearest asymmetric int4 quantization per block of `blockSize` input features, the
 * scheme onnxruntime's 4-bit quantizer writes for MatMulNBits: each block's range (widened
 * to hold 0) is split into 15 steps, with a per-block zero point.
 */
export function quantizeInt4Blocks(
  values: Float32Array,
  k: number,
  n: number,
  blockSize = 32,
): Int4Blocks {
  const blocks = Math.ceil(k / blockSize);
  const blob = blockSize / 2;
  const packed = new Uint8Array(n * blocks * blob);
  const scales = new Float32Array(n * blocks);
  const zeroPoints = new Uint8Array(n * Math.ceil(blocks / 2));
  const dequantized = new Float32Array(k * n);
  for (let col = 0; col < n; col++) {
    for (let b = 0; b < blocks; b++) {
      const start = b * blockSize;
      const end = Math.min(k, start + blockSize);
      let min = 0;
      let max = 0;
      for (let row = start; row < end; row++) {
        const v = values[row * n + col]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const scale = Math.fround(max > min ? (max - min) / LEVELS : 1);
      const zero = Math.min(LEVELS, Math.max(0, Math.round(-min / scale)));
      scales[col * blocks + b] = scale;
      const zpIndex = col * Math.ceil(blocks / 2) + (b >> 1);
      zeroPoints[zpIndex] = zeroPoints[zpIndex]! | (zero << ((b & 1) * 4));
      for (let row = start; row < end; row++) {
        const q = Math.min(LEVELS, Math.max(0, Math.round(values[row * n + col]! / scale) + zero));
        const byte = (col * blocks + b) * blob + ((row - start) >> 1);
        packed[byte] = packed[byte]! | (q << (((row - start) & 1) * 4));
        dequantized[row * n + col] = Math.fround((q - zero) * scale);
      }
    }
  }
  return { k, n, blockSize, packed, scales, zeroPoints, dequantized };
}

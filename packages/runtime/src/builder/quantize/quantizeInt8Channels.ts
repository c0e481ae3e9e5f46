/** A `[in, out]` weight as int8 with one symmetric scale per output column (`DequantizeLinear` axis 1). */
export interface Int8Channels {
  values: Int8Array;
  /** `[out]` float32. */
  scales: Float32Array;
  dequantized: Float32Array;
}

/** Symmetric per-output-channel int8: `scale = max|w| / 127`, `q = round(w / scale)`. */
export function quantizeInt8Channels(values: Float32Array, k: number, n: number): Int8Channels {
  const scales = new Float32Array(n);
  for (let col = 0; col < n; col++) {
    let max = 0;
    for (let row = 0; row < k; row++) max = Math.max(max, Math.abs(values[row * n + col]!));
    scales[col] = Math.fround(max > 0 ? max / 127 : 1);
  }
  const quantized = new Int8Array(k * n);
  const dequantized = new Float32Array(k * n);
  for (let row = 0; row < k; row++) {
    for (let col = 0; col < n; col++) {
      const i = row * n + col;
      const q = Math.max(-127, Math.min(127, Math.round(values[i]! / scales[col]!)));
      quantized[i] = q;
      dequantized[i] = Math.fround(q * scales[col]!);
    }
  }
  return { values: quantized, scales, dequantized };
}

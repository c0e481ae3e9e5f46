/**
 * How the builder stores projection weights, as the exporters people use do:
 * - `fp32`: float32 initializers into MatMul (optimum's default export).
 * - `fp16`: float16 initializers, float16 caches and logits at the graph boundary (`model_fp16.onnx`).
 * - `q8`: int8 per output channel through DequantizeLinear into MatMul (`model_quantized.onnx`).
 * - `q4`: 4-bit blocks of 32 in `com.microsoft.MatMulNBits` (`model_q4.onnx`, onnxruntime-genai int4).
 */
export type WeightPrecision = 'fp32' | 'fp16' | 'q8' | 'q4';

export const WEIGHT_PRECISIONS: readonly WeightPrecision[] = ['fp32', 'fp16', 'q8', 'q4'];

/** Block size of the q4 weights along the input features. */
export const INT4_BLOCK_SIZE = 32;

/** Whether a checkpoint tensor is a projection the quantized precisions store quantized. */
export function isProjectionWeight(name: string): boolean {
  return name.endsWith('_proj.weight') || name === 'lm_head.weight';
}

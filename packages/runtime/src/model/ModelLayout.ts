/**
 * The three file layouts real ONNX exports come in:
 * - `optimum`: `onnx/model.onnx` or `model.onnx` (optimum-cli), `past_key_values.*` and `position_ids`;
 * - `onnx-community`: `onnx/model{_fp16,_quantized,_q4,…}.onnx` variants picked by dtype, as
 *   transformers.js loads them, with external data in `*.onnx_data`;
 * - `genai`: onnxruntime-genai's model builder, `genai_config.json` naming the graph (usually
 *   `model.onnx` + `model.onnx.data`), GroupQueryAttention and MatMulNBits weights.
 */
export type ModelLayout = 'optimum' | 'onnx-community' | 'genai';

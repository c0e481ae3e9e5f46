import { z } from 'zod';

/**
 * The weight variants an onnx-community / transformers.js export ships side by side, named
 * by the suffix transformers.js appends to the graph file (`onnx/model_q4.onnx` for `q4`).
 */
export const MODEL_DTYPE_SUFFIXES = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
} as const;

export const ModelDtypeSchema = z.enum(
  Object.keys(MODEL_DTYPE_SUFFIXES) as [keyof typeof MODEL_DTYPE_SUFFIXES],
);

/** `fp32`, `fp16`, `q8`, `q4`, …: which variant of a model directory to load. */
export type ModelDtype = z.infer<typeof ModelDtypeSchema>;

/** The graph file name of a variant: `model` + `q4` → `model_q4.onnx`. */
export function dtypeFileName(base: string, dtype: ModelDtype): string {
  return `${base}${MODEL_DTYPE_SUFFIXES[dtype]}.onnx`;
}

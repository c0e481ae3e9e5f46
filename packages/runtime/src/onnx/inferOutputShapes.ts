import * as ort from 'onnxruntime-node';
import { encodeModel } from './codec';
import { DataType } from './dataType';
import { OnnxError } from './OnnxError';
import type { ModelProto, TensorShapeDimension } from './proto';

/** ORT's tensor type names → ONNX element types. */
const ORT_TYPES: Readonly<Record<string, number>> = {
  float32: DataType.FLOAT,
  float16: DataType.FLOAT16,
  float64: DataType.DOUBLE,
  int8: DataType.INT8,
  uint8: DataType.UINT8,
  int16: DataType.INT16,
  uint16: DataType.UINT16,
  int32: DataType.INT32,
  uint32: DataType.UINT32,
  int64: DataType.INT64,
  uint64: DataType.UINT64,
  bool: DataType.BOOL,
  string: DataType.STRING,
};

/**
 * Fills in the type and shape of graph outputs that lack one (e.g. after `exposeTensor`),
 * using ONNX Runtime's own shape inference rather than a hand-written one: the model is
 * loaded once, unoptimised, and ORT's resolved output metadata is written back. Dimensions
 * ORT knows only as "some size" get a symbolic name `<output>_dim_<i>`. Mutates and returns
 * `model`; the model must be self-contained and under protobuf's 2 GiB limit.
 */
export async function inferOutputShapes(model: ModelProto): Promise<ModelProto> {
  const graph = model.graph;
  const pending = (graph?.output ?? []).filter((o) => !o.type?.tensor_type?.shape);
  if (!graph || pending.length === 0) return model;
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(encodeModel(model), {
      graphOptimizationLevel: 'disabled',
      executionProviders: ['cpu'],
    });
  } catch (cause) {
    throw new OnnxError(
      'ONNX_GRAPH_INVALID',
      'ONNX Runtime could not load the graph to infer output shapes',
      {
        details: cause instanceof Error ? cause.message : String(cause),
        cause,
      },
    );
  }
  try {
    const metadata = new Map(session.outputMetadata.map((m) => [m.name, m]));
    for (const output of pending) {
      const name = output.name ?? '';
      const meta = metadata.get(name);
      if (!meta?.isTensor) continue;
      const dim: TensorShapeDimension[] = meta.shape.map((d, i) =>
        typeof d === 'number' && d >= 0
          ? { dim_value: d }
          : { dim_param: typeof d === 'string' && d ? d : `${name}_dim_${i}` },
      );
      const elemType = output.type?.tensor_type?.elem_type ?? ORT_TYPES[meta.type];
      output.type = {
        ...output.type,
        tensor_type: { ...(elemType === undefined ? {} : { elem_type: elemType }), shape: { dim } },
      };
    }
  } finally {
    await session.release();
  }
  return model;
}

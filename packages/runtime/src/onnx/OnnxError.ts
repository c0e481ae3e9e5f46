import { SignalError, type SignalErrorOptions } from '@signal/core';

/** Stable codes for everything the ONNX graph tools refuse. */
export type OnnxErrorCode =
  | 'ONNX_FILE_UNREADABLE'
  | 'ONNX_DECODE_FAILED'
  | 'ONNX_ENCODE_FAILED'
  | 'ONNX_EXTERNAL_DATA_INVALID'
  | 'ONNX_TENSOR_INVALID'
  | 'ONNX_TENSOR_NOT_FOUND'
  | 'ONNX_NAME_COLLISION'
  | 'ONNX_GRAPH_CYCLE'
  | 'ONNX_TYPE_UNKNOWN'
  | 'ONNX_GRAPH_INVALID';

export class OnnxError extends SignalError<OnnxErrorCode> {
  override name = 'OnnxError';

  constructor(code: OnnxErrorCode, shortMessage: string, options?: SignalErrorOptions) {
    super(code, shortMessage, options);
  }
}

import { SignalError, type SignalErrorOptions } from '../errors/SignalError';

/** Every way a tensor buffer can be refused. Codes are stable. */
export type TensorCodecErrorCode =
  | 'TENSOR_TOO_LARGE'
  | 'TENSOR_BASE64'
  | 'TENSOR_MSGPACK'
  | 'TENSOR_DTYPE'
  | 'TENSOR_SHAPE'
  | 'TENSOR_NON_FINITE'
  | 'TENSOR_VALUE';

export class TensorCodecError extends SignalError<TensorCodecErrorCode> {
  override name = 'TensorCodecError';

  constructor(code: TensorCodecErrorCode, shortMessage: string, options: SignalErrorOptions = {}) {
    super(code, shortMessage, options);
  }
}

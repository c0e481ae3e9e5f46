export { isSignalError, SignalError, type SignalErrorOptions } from './errors/SignalError';
export type { SynapseOf, SynapseSpec } from './synapses/SynapseSpec';
export {
  type BtTensor,
  BtTensorSchema,
  DTYPES,
  type DType,
  DTypeSchema,
  declaredByteLength,
  elementCount,
} from './tensor/BtTensor';
export { type PyType, py } from './wire/pyType';

export { isSignalError, SignalError, type SignalErrorOptions } from './errors/SignalError';
export type { SynapseOf, SynapseSpec } from './synapses/SynapseSpec';
export { type PyType, py } from './wire/pyType';

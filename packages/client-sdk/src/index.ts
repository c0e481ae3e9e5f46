export type {
  CondensedContext,
  CondensedStats,
  FloatTensorView,
  KvCondensedContext,
  SoftCondensedContext,
  TextCondensedContext,
} from './condensed/CondensedContext';
export { type AnswerMeta, toCondensedContext } from './condensed/toCondensedContext';
export type { MetagraphReader, MinerNeuron } from './direct/MetagraphReader';
export {
  CLIENT_ERROR_CODES,
  ClientError,
  type ClientErrorCode,
  type ClientErrorOptions,
} from './errors/ClientError';
export type { InferenceOptions, InferenceRequest } from './inference/InferenceRequest';
export type { CondenseOptions } from './options/CondenseOptions';
export {
  type DirectOptions,
  type GatewayOptions,
  type RetryOptions,
  type SignalClientOptions,
  SignalClientOptionsSchema,
} from './options/SignalClientOptions';
export { SignalClient } from './SignalClient';

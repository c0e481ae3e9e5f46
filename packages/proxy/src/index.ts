export { type ApiKeyFileAuth, apiKeyFileAuth } from './auth/apiKeyFileAuth';
export { type CallerAuth, OPEN_AUTH } from './auth/CallerAuth';
export { type HttpService, type ListenOptions, listen } from './http/HttpService';
export { ProxyMetrics } from './metrics/ProxyMetrics';
export { ServeMetrics } from './metrics/ServeMetrics';
export {
  API_ERROR_CODES,
  ApiError,
  type ApiErrorCode,
  type ApiErrorObject,
  type ApiErrorOptions,
  toApiError,
} from './openai/ApiError';
export {
  type ChatDelta,
  type CompletionIdentity,
  chatChunk,
  chatCompletion,
  chatUsageChunk,
} from './openai/ChatCompletion';
export {
  type ChatCompletionRequest,
  ChatCompletionRequestSchema,
} from './openai/ChatCompletionRequest';
export {
  type ChatMessage,
  ChatMessageSchema,
  type ContentPart,
  messageText,
} from './openai/ChatMessage';
export { type CompletionRequest, CompletionRequestSchema } from './openai/CompletionRequest';
export { completionIdentity } from './openai/completionId';
export type { FinishReason } from './openai/FinishReason';
export { modelList } from './openai/ModelList';
export { parseRequest } from './openai/parseRequest';
export { StopSchema, stopList } from './openai/SamplingFields';
export { SSE_HEADERS, SseWriter } from './openai/SseWriter';
export { textChunk, textCompletion, textUsageChunk } from './openai/TextCompletion';
export { type Usage, usage } from './openai/Usage';
export { CondenseCache, type CondenseKey } from './proxy/CondenseCache';
export { type CondensedPiece, pieceBytes } from './proxy/CondensedPiece';
export { CondenseFailure, type CondenseFailureReason } from './proxy/CondenseFailure';
export {
  type CondensePolicy,
  type CondensePolicyInput,
  CondensePolicySchema,
} from './proxy/CondensePolicy';
export { chunkText } from './proxy/chunkText';
export { type Condenser, PART_JOINER } from './proxy/condenseParts';
export { estimateTokens, type TokenCounter } from './proxy/countTokens';
export { findLongParts, type LongPart } from './proxy/findLongParts';
export type { CondenseOutcome } from './proxy/prepareChat';
export type { ProxyAuth, StartProxyOptions } from './proxy/StartProxyOptions';
export { type RunningProxy, startProxy } from './proxy/startProxy';
export { UpstreamClient, type UpstreamClientOptions } from './proxy/UpstreamClient';
export { type HostedModelOptions, loadHostedModel } from './serve/hostedModel';
export type {
  ServeChunk,
  ServeGeneration,
  ServeModel,
  ServeRuntime,
  ServeSettings,
} from './serve/ServeModel';
export type { StartServeOptions } from './serve/StartServeOptions';
export type { ModelDescription, ServeJobs, ServeWorkerInit } from './serve/serveJobs';
export { type RunningServe, startServe } from './serve/startServe';

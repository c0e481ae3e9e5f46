export { BuilderError, type BuilderErrorCode } from './builder/BuilderError';
export {
  type BuildModelOptions,
  type BuiltModel,
  buildModel,
  type ModelPreset,
  type RandomModelOptions,
  type RecallModelOptions,
} from './builder/buildModel';
export type { LlamaConfig, ModelSize } from './builder/LlamaConfig';
export { inductionMatchDim, RECALL_LAYOUT, type RecallLayout } from './builder/recall/recallLayout';
export { recallTokenBudget } from './builder/recall/recallTokenBudget';
export {
  RECALL_KEY_COUNT,
  RECALL_VALUE_COUNT,
  type RecallModelVocabulary,
  recallVocabulary,
} from './builder/recall/recallVocabulary';
export { WEIGHT_PRECISIONS, type WeightPrecision } from './builder/WeightPrecision';
export {
  CausalLM,
  type CausalLMLoadOptions,
  type ForwardResult,
  type PrefillOptions,
} from './causal/CausalLM';
export { CausalLMError, type CausalLMErrorCode } from './causal/CausalLMError';
export type { ForwardInput, InputEmbeds } from './causal/ForwardInput';
export {
  type FinishReason,
  type GenerationChunk,
  type GenerationOptions,
  type GenerationResult,
  type GenerationSettings,
  GenerationSettingsSchema,
} from './causal/GenerationOptions';
export { Logits } from './causal/Logits';
export { logProb } from './causal/logProb';
export {
  type SamplingOptions,
  type SamplingOptionsInput,
  SamplingOptionsSchema,
} from './causal/SamplingOptions';
export { SeededRandom } from './causal/SeededRandom';
export { argmax, sampleToken } from './causal/sampleToken';
export type { ScoreOptions, ScoreResult } from './causal/scoreContinuation';
export { HostError, type HostErrorCode, HostQueueFullError } from './host/HostError';
export { HostStream } from './host/HostStream';
export {
  type HostEvent,
  type HostStats,
  ModelHost,
  type ModelHostOptions,
  type RunOptions,
} from './host/ModelHost';
export { serveHostWorker } from './host/serveHostWorker';
export { type ThreadBudget, type ThreadBudgetInput, threadBudget } from './host/threadBudget';
export {
  type JobContext,
  type JobHandler,
  type JobHandlers,
  type JobSpec,
  type JobTable,
  type ServedWorker,
  Transferred,
  transferred,
  type WorkerFactory,
  type WorkerModule,
  type WorkerSetup,
} from './host/WorkerModule';
export { type DownloadBlobOptions, downloadBlob } from './hub/downloadBlob';
export { HubCache } from './hub/HubCache';
export { HubError, type HubErrorCode } from './hub/HubError';
export { formatHubRef, type HubRef, isHubRef, parseHubRef } from './hub/HubRef';
export { type HubSettings, hubSettings } from './hub/HubSettings';
export {
  listFilesAt,
  listRepo,
  type RepoFile,
  type RepoListing,
  resolveCommit,
} from './hub/listRepo';
export { type LoadCausalLMOptions, loadCausalLM } from './hub/loadCausalLM';
export {
  type PulledModel,
  type PullOptions,
  type PullProgress,
  pullModel,
} from './hub/pullModel';
export { resolveModelLocation, resolveModelLocations } from './hub/resolveModelLocation';
export {
  ADAPTER_FILES,
  MODEL_METADATA_FILES,
  type PullKind,
  selectFiles,
} from './hub/selectFiles';
export { HalfKvLayer, layerSize } from './kv/HalfKvLayer';
export { type KeepIndices, keepFor } from './kv/KeepIndices';
export { KvCache, type KvCacheInit, type KvLayer } from './kv/KvCache';
export { KvCacheError, type KvCacheErrorCode } from './kv/KvCacheError';
export {
  type KvCacheFromPayloadOptions,
  type KvCacheToPayloadOptions,
  type KvGeometry,
  kvCacheFromDecoded,
  kvCacheFromPayload,
  kvCacheToEncodedPayload,
  kvCacheToPayload,
} from './kv/kvPayload';
export { derivedModelDir, signalCacheDir } from './model/derivedModelDir';
export { type GenaiConfig, GenaiConfigSchema } from './model/GenaiConfig';
export {
  type AttentionKind,
  type FloatType,
  type GraphSignature,
  type IndexType,
  type KvNames,
  type Quantization,
  type RotaryStyle,
  readGraphSignature,
} from './model/GraphSignature';
export {
  type GqaNodeSummary,
  type GraphSummary,
  readGraphSummary,
} from './model/GraphSummary';
export { graphUsesOp } from './model/graphUsesOp';
export {
  type LoadModelDirOptions,
  loadModelDir,
  locateModelFiles,
  type ModelDir,
} from './model/loadModelDir';
export {
  type GenerationConfig,
  GenerationConfigSchema,
  type ModelConfig,
  ModelConfigSchema,
  tokenIdList,
} from './model/ModelConfig';
export { ModelDirError, type ModelDirErrorCode } from './model/ModelDirError';
export {
  dtypeFileName,
  MODEL_DTYPE_SUFFIXES,
  type ModelDtype,
  ModelDtypeSchema,
} from './model/ModelDtype';
export type { ModelLayout } from './model/ModelLayout';
export { prunedCacheSupport } from './model/prunedCacheSupport';
export {
  availableVariants,
  type ResolvedModelFiles,
  type ResolveModelFilesOptions,
  resolveModelFiles,
} from './model/resolveModelFiles';
export { attribute, intAttribute, subgraphsOf } from './onnx/attribute';
export { decodeModel, encodeModel } from './onnx/codec';
export {
  byteWidth,
  DataType,
  type DataTypeCode,
  type DataTypeName,
  dataTypeName,
} from './onnx/dataType';
export { isOnnxDomain, MS_DOMAIN } from './onnx/domains';
export { type ExposeTensorOptions, exposeTensor } from './onnx/exposeTensor';
export { type ExternalDataOptions, loadExternalData, storeExternalData } from './onnx/externalData';
export {
  type FindNodesOptions,
  type FoundNode,
  findNodes,
  type NodePattern,
} from './onnx/findNodes';
export {
  consumersOf,
  definedNames,
  implicitInputs,
  producerOf,
  sourceNames,
  uniqueName,
} from './onnx/graphNames';
export { inferElemType } from './onnx/inferElemType';
export { inferOutputShapes } from './onnx/inferOutputShapes';
export {
  type InsertedSubgraph,
  insertSubgraph,
  type SubgraphInsertion,
} from './onnx/insertSubgraph';
export { mapGraphTensors, mapModelTensors, type TensorMapper } from './onnx/mapTensors';
export { OnnxError, type OnnxErrorCode } from './onnx/OnnxError';
export * from './onnx/proto';
export { readModel } from './onnx/readModel';
export { type ModelSkeleton, readModelSkeleton } from './onnx/readModelSkeleton';
export {
  bytesOf,
  elementCount,
  makeTensor,
  type TensorValues,
  tensorBytes,
  tensorValues,
} from './onnx/tensor';
export { topologicalSort } from './onnx/topologicalSort';
export { type WriteModelOptions, writeModel } from './onnx/writeModel';
export { explicitPositionsDir } from './positions/explicitPositionsDir';
export { PositionsError, type PositionsErrorCode } from './positions/PositionsError';
export {
  type RotaryRewriteOptions,
  rotaryToExplicitPositions,
} from './positions/rotaryToExplicitPositions';
export {
  type ModelLease,
  ModelRegistry,
  type ModelRegistryOptions,
  type ModelState,
  type ModelStats,
  type RegistryModelSpec,
} from './registry/ModelRegistry';
export { RegistryError, type RegistryErrorCode } from './registry/RegistryError';
export { Semaphore } from './registry/Semaphore';
export {
  type SessionOptions,
  type SessionOptionsInput,
  SessionOptionsSchema,
  toOrtSessionOptions,
} from './session/SessionOptions';
export { type ChatMessage, ChatMessageSchema } from './tokenizer/ChatMessage';
export { TextStream } from './tokenizer/TextStream';
export {
  type DecodeOptions,
  type EncodeOptions,
  type SpecialTokenIds,
  TextTokenizer,
} from './tokenizer/TextTokenizer';
export { type TokenizerConfig, TokenizerConfigSchema } from './tokenizer/TokenizerConfig';
export { TokenizerError, type TokenizerErrorCode } from './tokenizer/TokenizerError';
export {
  type ChatTemplateOptions,
  renderChatTemplate,
  type TemplateTokens,
} from './tokenizer/template/renderChatTemplate';

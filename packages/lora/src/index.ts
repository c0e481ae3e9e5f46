export { LoraError, type LoraErrorCode } from './errors/LoraError';
export {
  findGraphLinears,
  type GraphLinear,
  selectLinears,
  type TargetSelector,
} from './graft/findLoraTargets';
export { findModelFile } from './graft/findModelFile';
export {
  GRAFT_MANIFEST_FILE,
  GRAFT_VERSION,
  type GraftManifest,
  GraftManifestSchema,
} from './graft/GraftManifest';
export { type GraftableModel, loraGraftBlocker } from './graft/graftBlocker';
export { type GraftedTarget, graftGraph, LORA_BATCH_DIM, loraRankDim } from './graft/graftGraph';
export {
  type GraftedModel,
  type GraftLoraOptions,
  graftLora,
  readGraftManifest,
} from './graft/graftLora';
export { readModelLinears } from './graft/readModelLinears';
export { writeMergedModel } from './graft/writeMergedModel';
export {
  type AdapterConfig,
  type AdapterConfigInput,
  AdapterConfigSchema,
} from './peft/AdapterConfig';
export type { LoraAdapter, LoraModuleWeights, LoraTarget } from './peft/LoraAdapter';
export { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, loadPeftAdapter } from './peft/loadPeftAdapter';
export {
  initializerToModule,
  loraInputName,
  moduleToNodeName,
  nodeNameToModule,
  parsePeftTensorKey,
  peftTensorKey,
} from './peft/moduleNames';
export {
  type ParsePeftAdapterOptions,
  parseAdapterConfig,
  parsePeftAdapter,
} from './peft/parsePeftAdapter';
export {
  isTargetModule,
  type ModuleScaling,
  moduleScaling,
  patternKey,
} from './peft/targetMatching';
export {
  type AdapterChoice,
  type BatchGenerationResult,
  type GenerateBatchOptions,
  type LoraBinding,
  type LoraGenerationOptions,
  LoraModel,
  type LoraModelLoadOptions,
  loraInputAcceptor,
} from './runtime/LoraModel';
export { loraFeeds } from './runtime/loraFeeds';
export { readSafetensors } from './safetensors/readSafetensors';
export type { SafetensorsDType } from './safetensors/SafetensorsDType';
export type { DecodedTensor, SafetensorsFile, TensorToWrite } from './safetensors/SafetensorsFile';
export { writeSafetensors } from './safetensors/writeSafetensors';
export type { AdapterSource } from './store/AdapterSource';
export {
  type AdapterInfo,
  type AdapterLease,
  AdapterStore,
  type AdapterStoreMetrics,
  type AdapterStoreOptions,
} from './store/AdapterStore';
export {
  type DownloadVerifiedOptions,
  downloadVerified,
  type OpenDownloadFile,
} from './store/downloadVerified';
export {
  type HttpAdapterSpec,
  HttpAdapterSpecSchema,
  type HttpSourceOptions,
  httpSource,
} from './store/httpSource';
export {
  type HuggingFaceAdapterSpec,
  HuggingFaceAdapterSpecSchema,
  type HuggingFaceSourceOptions,
  huggingFaceSource,
} from './store/huggingFaceSource';
export { localDirSource } from './store/localDirSource';
export {
  type AdapterDType,
  buildTestAdapter,
  type WriteTestAdapterOptions,
  type WrittenTestAdapter,
  writeTestAdapter,
} from './testing/buildTestAdapter';
export {
  seededDerangement,
  type WritePermutationAdapterOptions,
  writePermutationAdapter,
} from './testing/writePermutationAdapter';

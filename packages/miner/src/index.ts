export { MinerCliError } from './cli/MinerCliError';
export { type MinerFlags, minerCommand } from './cli/minerCommand';
export {
  DEFAULT_AXON_PORT,
  type MinerSettings,
  resolveMinerSettings,
} from './cli/resolveMinerSettings';
export { type RunMinerCliOptions, runMinerCli } from './cli/runMinerCli';
export type { CondenseResult, CondenseTimings } from './condensers/CondenseResult';
export { type CondenseRequest, condense } from './condensers/condense';
export { type CondenseKvParameters, condenseKv } from './condensers/condenseKv';
export { type CondenseSoftParameters, condenseSoft } from './condensers/condenseSoft';
export {
  type CondenseTextParameters,
  condenseText,
  type ScoredTokens,
  scoreTokens,
} from './condensers/condenseText';
export { gatherPadded } from './condensers/gatherPadded';
export { type AttentionReduction, maskedAttentionGraph } from './condensers/maskedAttentionGraph';
export {
  contextScores,
  type KvPressPlan,
  type KvScorer,
  type PressCacheParameters,
  type PressedCache,
  pressCache,
  withModelOptions,
} from './condensers/pressCache';
export { pressLayers, queriesOutput } from './condensers/pressLayers';
export { type TokenBudget, tierBudget } from './condensers/tierBudget';
export { type SnapKvParameters, WindowAttention } from './condensers/WindowAttention';
export { windowShares } from './condensers/windowShares';
export {
  type CondenserPlan,
  type ConfiguredPressOptions,
  type ConfiguredScorer,
  condenserPlan,
} from './config/condenserPlan';
export { loadMinerConfig, MAX_CONFIG_BYTES, parseMinerConfig } from './config/loadMinerConfig';
export { MinerConfigError, type MinerConfigErrorCode } from './config/MinerConfigError';
export {
  type AdapterSource,
  AdapterSourceSchema,
  type MinerConfig,
  type MinerConfigInput,
  MinerConfigSchema,
  type MinerLimits,
  MinerLimitsSchema,
  type MinerRunSettings,
  MinerRunSettingsSchema,
  type ModelEntry,
  ModelEntrySchema,
  type TierMethod,
  TierMethodSchema,
} from './config/MinerConfigSchema';
export { MinerMetrics } from './metrics/MinerMetrics';
export { type MetricsServer, serveMetrics } from './metrics/serveMetrics';
export { adapterNameOf, adapterSourceOf } from './models/adapterSource';
export { assertServed } from './models/assertServed';
export { exposePreRopeQueries, preRopeQueriesOutput } from './models/exposePreRopeQueries';
export { GRAFT_TARGETS, graftOnce } from './models/graftOnce';
export {
  MinerRequestError,
  type MinerRequestErrorCode,
  REQUEST_ERROR_STATUS,
} from './models/MinerRequestError';
export { oncePerDirectory } from './models/oncePerDirectory';
export {
  type TargetModelLease,
  TargetModels,
  type TargetModelsOptions,
} from './models/TargetModels';
export {
  admissionPolicyFromLimits,
  rateLimiterOptionsFromLimits,
} from './policy/admissionPolicyFromLimits';
export {
  type Admission,
  type AdmissionPolicy,
  admitCaller,
  type RequestPurpose,
} from './policy/admitCaller';
export { callerPriority, comparePriority } from './policy/callerPriority';
export {
  type AdmittedCaller,
  DEFAULT_MAX_TRACKED,
  EpochRateLimiter,
  type EpochRateLimiterOptions,
  type RateDecision,
} from './policy/EpochRateLimiter';
export { validatorQuota } from './policy/epochQuota';
export { indexMetagraph, type MetagraphIndex } from './policy/MetagraphIndex';
export type { NeuronView } from './policy/NeuronView';
export { PolicyInputError } from './policy/PolicyInputError';
export {
  REFUSAL_STATUS,
  type RefusalCode,
  RequestRefusedError,
} from './policy/RequestRefusedError';
export {
  DEFAULT_FUTURE_POSITIONS,
  type ExpectedAttentionOptions,
  expectedAttentionScores,
} from './presses/expectedAttention';
export { gatherKept } from './presses/gatherKept';
export type { HeadBudgetSelection } from './presses/HeadBudgetSelection';
export type { HeadScores } from './presses/HeadScores';
export { InvalidRatioError } from './presses/InvalidRatioError';
export type { KeptSelection } from './presses/KeptSelection';
export { assertRatio, keptCount } from './presses/keptCount';
export { keyDiffScores } from './presses/keydiff';
export { knormScores } from './presses/knorm';
export { PressInputError } from './presses/PressInputError';
export type { PressLayer } from './presses/PressLayer';
export {
  isPressName,
  PRESS_NAMES,
  PRESSES,
  type Press,
  type PressName,
  type PressOptionsByName,
} from './presses/presses';
export { type RandomOptions, randomScores } from './presses/random';
export {
  type PeakAttentionInput,
  ReconstructionAttention,
} from './presses/reconstruction/ReconstructionAttention';
export {
  DEFAULT_RECONSTRUCTION_CHUNK,
  DEFAULT_RECONSTRUCTION_OVERLAP,
  DEFAULT_RECONSTRUCTION_SINKS,
  REPEAT_INSTRUCTION,
  type ReconstructionOptions,
  type ReconstructionScoresParameters,
  reconstructionScores,
} from './presses/reconstruction/reconstructionScores';
export { type RunPressParameters, runPress } from './presses/runPress';
export {
  DEFAULT_SAFEGUARD,
  type HeadAdaptiveOptions,
  selectHeadAdaptive,
} from './presses/selectHeadAdaptive';
export { selectKept } from './presses/selectKept';
export { selectTopK } from './presses/selectTopK';
export {
  DEFAULT_SNAPKV_KERNEL,
  DEFAULT_SNAPKV_WINDOW,
  type SnapKvAttentionShape,
  type SnapKvOptions,
  snapKvScores,
  snapKvScoresFromAttention,
  snapKvWindow,
} from './presses/snapkv';
export {
  DEFAULT_SINK_TOKENS,
  type StreamingLlmOptions,
  streamingLlmScores,
} from './presses/streamingLlm';
export { assertTensor3, type Tensor3 } from './presses/Tensor3';
export {
  type MetagraphSnapshot,
  MetagraphWatcher,
  type MetagraphWatcherOptions,
} from './serve/MetagraphWatcher';
export { MinerStartError, type MinerStartErrorCode } from './serve/MinerStartError';
export { neuronViews } from './serve/neuronViews';
export {
  type MinerHotkey,
  type RunningMiner,
  type StartMinerOptions,
  startMiner,
} from './serve/startMiner';
export { chunkBounds, type Embeddings, type PoolBy, poolEmbeddings } from './soft/poolEmbeddings';
export { SoftInputError } from './soft/SoftInputError';
export {
  type CompressedText,
  type CompressTextOptions,
  compressText,
  type TokenLogprobs,
} from './text/compressText';
export { contextSpans } from './text/contextSpans';
export { DEFAULT_FORCED_TOKENS, type ForcedTokenRules, isForcedToken } from './text/forcedTokens';
export { TextInputError } from './text/TextInputError';
export { segmentUnits, type TextGranularity } from './text/textUnits';
export { createMinerWorker } from './worker/createMinerWorker';
export type {
  CondenseJob,
  CondenseJobResult,
  InferenceJob,
  InferenceJobResult,
  MinerJobs,
  MinerWorkerInit,
} from './worker/MinerJobs';
export { minerWorkerModule } from './worker/minerWorkerModule';

export { isSignalError, SignalError, type SignalErrorOptions } from './errors/SignalError';
export {
  type CondensedPayload,
  type CondensedPayloadFormat,
  CondensedPayloadSchema,
  type KvPayload,
  KvPayloadSchema,
  type SoftPayload,
  SoftPayloadSchema,
  type TextPayload,
  TextPayloadSchema,
} from './payload/CondensedPayload';
export { PAYLOAD_ERROR_CODES, PayloadError, type PayloadErrorCode } from './payload/PayloadError';
export {
  DEFAULT_PAYLOAD_DTYPES,
  type ModelGeometry,
  type PayloadLimits,
  tierPayloadLimits,
} from './payload/PayloadLimits';
export { type ValidatePayloadOptions, validatePayload } from './payload/validatePayload';
export {
  convertWeightsAndUidsForEmit,
  U16_MAX,
} from './scoring/convertWeightsAndUidsForEmit';
export { DEFAULT_EMA_DECAY, type EmaOptions, ema } from './scoring/ema';
export {
  type MinerScore,
  MinerScoreSchema,
  type MinerScores,
  MinerScoresSchema,
  reconcileMinerScores,
  recordScore,
  type ScoreObservation,
} from './scoring/MinerScores';
export { normalizeMaxWeight } from './scoring/normalizeMaxWeight';
export { roundHalfEven } from './scoring/roundHalfEven';
export { SCORING_ERROR_CODES, ScoringError, type ScoringErrorCode } from './scoring/ScoringError';
export { type ScoreInput, ScoreInputSchema, scoreResponse } from './scoring/scoreResponse';
export { tierWeights } from './scoring/tierWeights';
export { Condense, type CondenseSynapse } from './synapses/Condense';
export { Inference, type InferenceSynapse } from './synapses/Inference';
export { Metadata, type MetadataSynapse } from './synapses/Metadata';
export { SYNAPSE_ERROR_CODES, SynapseError, type SynapseErrorCode } from './synapses/SynapseError';
export type { SynapseInputOf, SynapseOf, SynapseSpec } from './synapses/SynapseSpec';
export { getSynapse, isSynapseName, type SynapseName, synapses } from './synapses/synapses';
export {
  type BtTensor,
  BtTensorSchema,
  DTYPES,
  type DType,
  DTypeSchema,
  declaredByteLength,
  elementCount,
} from './tensor/BtTensor';
export {
  type DecodedTensor,
  type DecodeTensorOptions,
  decodeTensor,
  encodeTensor,
  type TensorArray,
  type TensorArrays,
  type TensorCodecOptions,
  type TensorInput,
} from './tensor/codec';
export { TensorCodecError, type TensorCodecErrorCode } from './tensor/codecError';
export {
  float16Bits,
  float16Value,
  fromFloat16Bits,
  type Halves,
  narrowToHalves,
  toFloat16Bits,
  widenHalves,
} from './tensor/codecFloat16';
export { dtypeOfNumpyType, NUMPY_TYPE_STRINGS } from './tensor/codecNumpyType';
export {
  type ErrorClass,
  errorClassMap,
  reviveError,
  type SerializedError,
  serializeError,
} from './threads/crossThreadError';
export { SOURCES_TSCONFIG, startWorker } from './threads/startWorker';
export { ThreadError, type ThreadErrorCode } from './threads/ThreadError';
export { type WorkerEntryParameters, workerEntry } from './threads/workerEntry';
export { assertContextFits, contextLength } from './tiers/assertContextFits';
export { DEFAULT_SUPPORTING_MODEL, DEFAULT_TIERS } from './tiers/defaultTiers';
export { getTier } from './tiers/getTier';
export {
  INCENTIVE_SUM_EPSILON,
  type LoadTiersOptions,
  loadTiers,
  tierTableSchema,
} from './tiers/loadTiers';
export { type TierConfig, TierConfigSchema } from './tiers/TierConfig';
export { TIER_ERROR_CODES, TierError, type TierErrorCode } from './tiers/TierError';
export { Axon, type AxonAddress, type AxonOptions } from './wire/axon/Axon';
export type {
  AxonHandlers,
  AxonRequestContext,
  AxonRequestEvent,
  BlacklistVerdict,
  StreamChunk,
} from './wire/axon/AxonHandlers';
export { AxonRefusal } from './wire/axon/AxonRefusal';
export { PING_SPEC } from './wire/axon/pingSpec';
export { bodyHash, type HashedFields } from './wire/bodyHash';
export {
  formatVectorResult,
  runVectorCase,
  type VectorCaseResult,
} from './wire/conformance/runVectorCase';
export { parseVectorFile, type VectorCase, VectorCaseSchema } from './wire/conformance/vectorFile';
export {
  type CallOptions,
  Dendrite,
  type DendriteOptions,
  type ForwardOptions,
} from './wire/dendrite/Dendrite';
export type {
  AxonTarget,
  DendriteFailure,
  DendriteResult,
  DendriteStream,
  DendriteSuccess,
} from './wire/dendrite/DendriteResult';
export { fromWireValue } from './wire/fromWireValue';
export { parseFloatHeader, parseIntHeader, safeHeaderValue } from './wire/headerValue';
export { emptyValueJson, inputObjHeaderValue } from './wire/inputObjHeader';
export { createNonceClock } from './wire/monotonicNonce';
export {
  ALLOWED_NONCE_DELTA_NS,
  NonceTracker,
  type NonceTrackerOptions,
} from './wire/nonceTracker';
export { mapsToObjects, parseOrderedJson } from './wire/orderedJson';
export { pyFloatRepr } from './wire/pyFloat';
export { type PyJsonOptions, pyJsonDumps, pyJsonOf, pyJsonString } from './wire/pyJson';
export { pyReprOf, pyStr, pyStrOf } from './wire/pyStr';
export { pyStrRepr } from './wire/pyStrRepr';
export { type PyType, py } from './wire/pyType';
export { parsePyType } from './wire/pyTypeGrammar';
export { type PyValue, toPyValue } from './wire/pyValue';
export { sha3Hex } from './wire/sha3Hex';
export {
  createSr25519Signer,
  requestSignatureMessage,
  type SignedRequestFields,
  type Signer,
  signText,
  sr25519Ready,
  verifyText,
} from './wire/signature';
export {
  AXON_BODY_STYLE,
  DENDRITE_BODY_STYLE,
  type DecodedSynapseBody,
  decodeSynapseBody,
  encodeSynapseBody,
  type SynapseEnvelope,
} from './wire/synapseBody';
export {
  AXON_HEADER_PREFIX,
  DENDRITE_HEADER_PREFIX,
  type DecodedSynapseHeaders,
  decodeSynapseHeaders,
  encodeSynapseHeaders,
  type HeaderBag,
  INPUT_OBJ_HEADER_PREFIX,
  inputObjectsOf,
  type SynapseHeaderInput,
} from './wire/synapseHeaders';
export {
  DEFAULT_SYNAPSE_TIMEOUT,
  SYNAPSE_BASE_FIELDS,
  TERMINAL_INFO_FIELDS,
  TERMINAL_INFO_TYPE,
  type TerminalInfo,
  type TerminalInfoKey,
  TerminalInfoSchema,
} from './wire/terminalInfo';
export { WIRE_VERSION } from './wire/version';
export { WireError, type WireErrorCode } from './wire/WireError';

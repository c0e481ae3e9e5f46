export { isSignalError, SignalError, type SignalErrorOptions } from './errors/SignalError';
export { specificIssues } from './errors/specificIssues';
export {
  type Leaderboard,
  type LeaderboardMethod,
  LeaderboardMethodSchema,
  type LeaderboardRow,
  LeaderboardRowSchema,
  LeaderboardSchema,
} from './leaderboard/LeaderboardSchema';
export { type MetricsServer, type MetricsSource, serveMetrics } from './metrics/serveMetrics';
export {
  type AnyCondensedPayload,
  type AnyKvPayload,
  type AnyKvTensor,
  type CondensedPayload,
  type CondensedPayloadFormat,
  CondensedPayloadSchema,
  type EncodedKvPayload,
  type EncodedKvTensor,
  type EncodedPayload,
  isQuantized,
  type KvPayload,
  KvPayloadSchema,
  type KvTensor,
  payloadSchemas,
  type QuantizedTensor,
  QuantizedTensorSchema,
  quantizedTensorSchema,
  type SoftPayload,
  SoftPayloadSchema,
  type TextPayload,
  TextPayloadSchema,
} from './payload/CondensedPayload';
export { checkPayload, declaredPayloadBytes } from './payload/checkPayload';
export type { DecodedKv, KvDtype, KvDtypeArrays } from './payload/DecodedKv';
export {
  type DecodeKvOptions,
  decodedKv,
  decodeEncodedKv,
  decodeKvPayload,
} from './payload/decodeKvPayload';
export { decodeKvTensor, firstNonFiniteHalf } from './payload/decodeKvTensor';
export { encodeFloatTensor } from './payload/encodeFloatTensor';
export { encodeKvTensor } from './payload/encodeKvTensor';
export { fieldPath } from './payload/fieldPath';
export {
  DEFAULT_INT4_GROUP_SIZE,
  KEY_QUANTIZATION_AXIS,
  KV_FORMATS,
  type KvFormat,
  type KvFormatOptions,
  KvFormatSchema,
  kvFormatOf,
  quantizationSchemeOf,
  VALUE_QUANTIZATION_AXIS,
} from './payload/KvFormat';
export { PAYLOAD_ERROR_CODES, PayloadError, type PayloadErrorCode } from './payload/PayloadError';
export {
  DEFAULT_PAYLOAD_DTYPES,
  type ModelGeometry,
  type PayloadLimits,
  tierPayloadLimits,
} from './payload/PayloadLimits';
export { type LeafRole, type LocatedLeaf, payloadLeaves } from './payload/payloadLeaves';
export { type RawTensor, RawTensorSchema, type TensorLeaf } from './payload/TensorLeaf';
export { toWirePayload } from './payload/toWirePayload';
export { type ValidatePayloadOptions, validatePayload } from './payload/validatePayload';
export {
  type DequantizeGroupsInput,
  dequantizeGroups,
  dequantizeGroupsToHalves,
} from './quantization/dequantizeGroups';
export type { GroupCodes } from './quantization/GroupCodes';
export { type GroupLayout, groupLayout } from './quantization/GroupLayout';
export {
  QUANTIZATION_ERROR_CODES,
  QuantizationError,
  type QuantizationErrorCode,
} from './quantization/QuantizationError';
export {
  codeByteLength,
  QUANTIZATION_SCHEMES,
  type QuantizationScheme,
  SCHEME_LEVELS,
} from './quantization/QuantizationScheme';
export {
  type QuantizedGroups,
  type QuantizeGroupsInput,
  quantizeGroups,
} from './quantization/quantizeGroups';
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
  decodeTensorBytes,
  encodeTensor,
  encodeTensorBytes,
  type TensorArray,
  type TensorArrays,
  type TensorBytes,
  type TensorCodecOptions,
  type TensorInput,
} from './tensor/codec';
export { TensorCodecError, type TensorCodecErrorCode } from './tensor/codecError';
export {
  float16Bits,
  float16Value,
  fromFloat16Bits,
  type Halves,
  narrowInto,
  narrowToHalves,
  toFloat16Bits,
  widenHalves,
} from './tensor/codecFloat16';
export { dtypeOfNumpyType, NUMPY_TYPE_STRINGS } from './tensor/codecNumpyType';
export { float16BitsAtLeast, float16BitsAtMost } from './tensor/float16Directed';
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
  BinaryAnswer,
  BlacklistVerdict,
  StreamChunk,
} from './wire/axon/AxonHandlers';
export { AxonRefusal } from './wire/axon/AxonRefusal';
export { PING_SPEC } from './wire/axon/pingSpec';
export { InlineSignatures } from './wire/axon/signatures/InlineSignatures';
export { SignaturePool } from './wire/axon/signatures/SignaturePool';
export type { HeldKey, SignatureService } from './wire/axon/signatures/SignatureService';
export { ByteReader } from './wire/binary/ByteReader';
export { FRAME_ERROR_CODES, FrameError, type FrameErrorCode } from './wire/binary/FrameError';
export {
  type FramedPayload,
  FramedPayloadSchema,
  type FrameHeader,
  FrameHeaderSchema,
  type TensorRef,
  TensorRefSchema,
} from './wire/binary/FrameHeader';
export {
  BINARY_ROUTE_LIMIT,
  BINARY_ROUTE_SEGMENT,
  DEFAULT_MAX_FRAME_HEADER_BYTES,
  FRAME_CONTENT_TYPE,
  FRAME_MAGIC,
  FRAME_PREFIX_BYTES,
  FRAME_VERSION,
} from './wire/binary/frameFormat';
export { framePayload, type PayloadFrame } from './wire/binary/framePayload';
export { frameRefusalStatus } from './wire/binary/frameRefusalStatus';
export {
  type CheckedFrameHeader,
  type ReadFrameHeaderOptions,
  readFrameHeader,
} from './wire/binary/readFrameHeader';
export {
  DEFAULT_SLAB_ELEMENTS,
  type KvSlab,
  type ReceivedPayload,
  type ReceivePayloadFrameOptions,
  receivePayloadFrame,
} from './wire/binary/receivePayloadFrame';
export { bodyHash, type HashedFields, type KnownFieldDigests } from './wire/bodyHash';
export {
  formatVectorResult,
  runVectorCase,
  type VectorCaseResult,
} from './wire/conformance/runVectorCase';
export { parseVectorFile, type VectorCase, VectorCaseSchema } from './wire/conformance/vectorFile';
export {
  type BinaryBody,
  type BinaryCallOptions,
  type CallOptions,
  Dendrite,
  type DendriteOptions,
  type ForwardOptions,
} from './wire/dendrite/Dendrite';
export type {
  AxonTarget,
  DendriteBinaryFailure,
  DendriteBinaryResult,
  DendriteBinarySuccess,
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
  holdsSr25519Keys,
  type KeyHoldingSigner,
  requestSignatureMessage,
  type SignedRequestFields,
  type Signer,
  type Sr25519Keys,
  signText,
  sr25519Ready,
  sr25519SignerFromKeys,
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

export { getBeaconPulse } from './actions/getBeaconPulse';
export { commitRevealStateAt, getCommitRevealState } from './actions/getCommitRevealState';
export { getCurrentBlock } from './actions/getCurrentBlock';
export { getHyperparameters } from './actions/getHyperparameters';
export { type GetMetagraphParameters, getMetagraph } from './actions/getMetagraph';
export { getStakeOf, getUidOf } from './actions/getRegistration';
export { getWeightsOf } from './actions/getWeightsOf';
export {
  AXON_PROTOCOL,
  type AxonOnChain,
  axonOnChain,
  buildServeAxonExtrinsic,
  serveAxon,
} from './actions/serveAxon';
export {
  buildSetWeightsExtrinsic,
  buildWeightsCommitExtrinsic,
  type SetWeightsOptions,
  setWeights,
  type TimelockedCommitCall,
  timelockedCommitCall,
} from './actions/setWeights';
export type {
  ChainClient,
  ChainWeightsCommit,
  CommitRevealState,
  Hyperparameters,
  ReadOptions,
  RevealEvent,
  ServeAxonParameters,
  ServeAxonResult,
  SetWeightsParameters,
  SetWeightsResult,
  WeightsCommitReceipt,
} from './ChainClient';
export { booleanFlag } from './cli/booleanFlag';
export {
  type DashboardConfig,
  DashboardConfigShape,
  type DashboardFlags,
  type DashboardSettings,
  dashboardOptions,
  resolveDashboardSettings,
} from './cli/dashboardFlags';
export { integerIn } from './cli/integerIn';
export { type NeuronConfig, NeuronConfigSchema, NeuronConfigShape } from './cli/NeuronConfig';
export type { NeuronCliOptions, NeuronMain } from './cli/NeuronMain';
export { type NeuronCommandParameters, type NeuronFlags, neuronCommand } from './cli/neuronCommand';
export { parseWithEnv } from './cli/parseWithEnv';
export { type NeuronSettings, resolveNeuronSettings } from './cli/resolveNeuronSettings';
export { runNeuronBin } from './cli/runNeuronBin';
export { untilAborted } from './cli/untilAborted';
export {
  blocksUntilNextEpoch,
  commitEpochOf,
  epochIndex,
  firstBlockOfEpoch,
  runsEpoch,
} from './epochs/epochSchedule';
export { AtomicWriteError } from './errors/AtomicWriteError';
export {
  ChainConnectionLostError,
  ChainRequestError,
  ChainTimeoutError,
  ChainUnreachableError,
  DispatchFailedError,
  NotRegisteredError,
  SubnetNotFoundError,
} from './errors/ChainErrors';
export { LocalChainRuleError, LocalChainStateError } from './errors/LocalChainErrors';
export { TimelockError, type TimelockErrorCode } from './errors/TimelockErrors';
export {
  KeyfileCorruptError,
  KeyfileExistsError,
  KeyfileNotFoundError,
  KeyfilePasswordError,
  KeyfilePasswordMissingError,
} from './errors/WalletErrors';
export {
  CommitRevealRequiredError,
  WeightsRejectedError,
  type WeightsRejection,
} from './errors/WeightsErrors';
export {
  type AtomicWriteOptions,
  atomicWriteFile,
  previousCopyPath,
  removeStaleTempFiles,
  tempPathFor,
} from './files/atomicWriteFile';
export {
  LOCAL_HYPERPARAMETER_DEFAULTS,
  LocalChain,
  type LocalChainOptions,
  type RegisterParameters,
} from './local/LocalChain';
export {
  type LocalChainState,
  LocalChainStateSchema,
  type LocalCommit,
  type LocalHyperparameters,
  type LocalRevealEvent,
} from './local/LocalChainState';
export { type EpochInput, type EpochOutput, yumaConsensus } from './local/yumaConsensus';
export { decodeMetagraph, type MetagraphBytes } from './metagraph/decodeMetagraph';
export {
  type AxonInfo,
  fromU16,
  type Metagraph,
  type NeuronInfo,
  type NeuronStake,
  U16_MAX,
} from './metagraph/Metagraph';
export { type MetagraphJson, metagraphToJson, type NeuronJson } from './metagraph/metagraphToJson';
export { decodeIp, type EncodedIp, encodeIp, InvalidIpError } from './net/ipCodec';
export { NETWORKS, type NetworkName, resolveNetworkUrl, UnknownNetworkError } from './networks';
export { LOCAL_CHAIN_PREFIX, type OpenChainOptions, openChain } from './openChain';
export type { ReconnectAttempt, ReconnectPolicy } from './subtensor/connectApi';
export { Subtensor, type SubtensorOptions } from './subtensor/Subtensor';
export type { SubtensorContext } from './subtensor/SubtensorContext';
export { SUBTENSOR_SIGNED_EXTENSIONS } from './subtensor/signedExtensions';
export { dispatchErrorName, type Inclusion } from './subtensor/submitExtrinsic';
export { LocalBeacon } from './timelock/LocalBeacon';
export { type BeaconInfo, QUICKNET, QUICKNET_DST } from './timelock/quicknet';
export {
  computeRevealRound,
  REVEAL_SECURITY_BLOCKS,
  type RevealRoundParameters,
} from './timelock/revealRound';
export { roundMessage } from './timelock/roundIdentity';
export {
  assertRoundSignature,
  parseRoundSignature,
  verifyRoundSignature,
} from './timelock/roundSignature';
export {
  type TimelockEncryptOptions,
  timelockDecrypt,
  timelockEncrypt,
} from './timelock/timelockEncrypt';
export { TLE_OVERHEAD_BYTES } from './timelock/tleCiphertext';
export {
  type DecryptWeightsCommitOptions,
  decryptWeightsCommit,
  type EncryptWeightsCommitParameters,
  encryptWeightsCommit,
  MAX_COMMIT_BYTES,
} from './timelock/weightsCommit';
export {
  decodeWeightsTlockPayload,
  encodeWeightsTlockPayload,
  type WeightsTlockPayload,
} from './timelock/weightsTlockPayload';
export { RAO_PER_TAO, taoToRao } from './units/tao';
export { type KeyfileData, KeyfileDataSchema } from './wallet/KeyfileData';
export {
  decryptKeyfileData,
  deriveNaclKey,
  encryptKeyfileData,
  isNaclEncrypted,
  NACL_KDF,
  type NaclKdf,
  openWithKey,
  sealWithKey,
} from './wallet/keyfileEncryption';
export {
  type PasswordSource,
  type ReadKeyfileOptions,
  readKeyfileData,
  readKeypair,
  type WriteKeyfileOptions,
  writeKeyfileData,
} from './wallet/keyfileIo';
export { BITTENSOR_SS58_FORMAT, keypairFromKeyfile } from './wallet/keypairFromKeyfile';
export {
  type CreatedWallet,
  type CreateWalletOptions,
  createWallet,
  listWallets,
  loadWallet,
  type Wallet,
  type WalletOptions,
} from './wallet/Wallet';
export { type WalletKeypair, walletKeypair } from './wallet/WalletKeypair';
export {
  DEFAULT_WALLET_ROOT,
  PUBLIC_KEYFILE_SUFFIX,
  passwordEnvVar,
  resolveWalletRoot,
  type WalletFiles,
  type WalletLocation,
  walletFiles,
} from './wallet/walletPaths';
export {
  checkSetWeights,
  checkWeights,
  type EmitWeights,
  type SetWeightsContext,
  type SetWeightsRequest,
} from './weights/checkSetWeights';
export {
  checkWeightsCommit,
  MAX_UNREVEALED_COMMITS,
  TIMELOCK_COMMIT_VERSION,
  type WeightsCommitContext,
} from './weights/checkWeightsCommit';

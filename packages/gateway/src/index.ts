export { GatewayCliError, type GatewayCliErrorCode } from './cli/GatewayCliError';
export { type CliOutput, runKeysCli } from './cli/keysCommands';
export {
  MAX_RECEIVE_TIMEOUT_MS,
  type ReceiveTimeoutFlags,
  receiveTimeoutOptions,
} from './cli/receiveTimeoutFlags';
export {
  gatewayCommand,
  type RunGatewayCliOptions,
  type RunningGatewayCli,
  runGatewayCli,
} from './cli/runGatewayCli';
export { runUsageCli } from './cli/usageCommand';
export {
  type GatewayDashboardParameters,
  gatewayDashboardSources,
} from './dashboard/gatewayDashboardSources';
export {
  GATEWAY_DASHBOARD_DAYS,
  type GatewayDashboardViewOptions,
  gatewayDashboardView,
} from './dashboard/gatewayDashboardView';
export { GatewayError, type GatewayErrorCode } from './errors/GatewayError';
export {
  ApiKeyAdminError,
  type ApiKeyAdminErrorCode,
  InvalidApiKeyError,
  type InvalidKeyReason,
  RateLimitedError,
  type RateLimitKind,
} from './errors/GatewayKeyError';
export {
  GatewaySettingsError,
  type GatewaySettingsErrorCode,
} from './errors/GatewaySettingsError';
export { GatewayStoreError, type GatewayStoreErrorCode } from './errors/GatewayStoreError';
export {
  type ApiKeyCredential,
  type ApiKeyInfo,
  ApiKeyInfoSchema,
  type ApiKeyRecord,
  ApiKeyRecordSchema,
  type ApiKeyScope,
  ApiKeyScopeSchema,
  type KeyLimits,
  KeyLimitsSchema,
  MAX_REQUESTS_PER_MINUTE,
} from './keys/ApiKeyRecord';
export { type ParsedApiKey, parseApiKey } from './keys/apiKeySecret';
export { authenticate } from './keys/authenticate';
export {
  type CreateApiKeyParameters,
  CreateApiKeyParametersSchema,
  type CreatedApiKey,
} from './keys/CreateApiKeyParameters';
export { MINUTE_MS, takeFromWindow, type WindowDecision } from './limits/slidingWindow';
export {
  MINER_VIEW_SCHEMA_VERSION,
  type MinerEntry,
  MinerEntrySchema,
  type MinerView,
  MinerViewSchema,
} from './miners/MinerView';
export { methodFormat } from './miners/methodFormat';
export { minerCooldownMs } from './miners/minerCooldown';
export { type RankCandidatesParameters, rankCandidates } from './miners/rankCandidates';
export { askMiner, type MinerAnswer } from './routing/askMiner';
export {
  type CondenseRequest,
  CondenseRequestSchema,
  type CondenseResponse,
} from './routing/CondenseRequest';
export {
  type ResolvedCondenseRequest,
  resolveCondenseRequest,
} from './routing/resolveCondenseRequest';
export {
  type MinerFailure,
  type RouteCondenseParameters,
  type RoutedCondense,
  routeCondense,
} from './routing/routeCondense';
export { GatewayMetrics } from './server/GatewayMetrics';
export type { OrganicScoring } from './server/OrganicScoring';
export {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type ReceiveTimeouts,
  receiveTimeouts,
} from './server/receiveTimeouts';
export {
  type GatewayDependencies,
  type GatewaySettings,
  type RunningGateway,
  startGateway,
} from './server/startGateway';
export {
  FileGatewayStore,
  type FileGatewayStoreOptions,
  type FileStoreRole,
  USAGE_RETENTION_DAYS,
} from './store/file/FileGatewayStore';
export type {
  Admission,
  AdmissionRefusal,
  AdmissionRequest,
  AdmissionTicket,
  GatewayStore,
  MinerOutcome,
  Settlement,
  UsageQuery,
} from './store/GatewayStore';
export { type GatewayStoreLocation, openGatewayStore } from './store/openGatewayStore';
export { RedisGatewayStore, type RedisGatewayStoreOptions } from './store/redis/RedisGatewayStore';
export { MAX_PENDING_SETTLEMENTS, SettlementQueue } from './usage/SettlementQueue';
export { type UsageDay, UsageDaySchema } from './usage/UsageDay';
export { utcDayKey, utcDayNumber } from './usage/utcDay';

export {
  type DashboardApiError,
  DashboardApiErrorSchema,
  type DashboardInfo,
  DashboardInfoSchema,
  PAGE_IDS,
  type PageId,
} from './api/DashboardInfo';
export {
  type GatewayKeyRow,
  GatewayKeyRowSchema,
  type GatewayUsageRow,
  GatewayUsageRowSchema,
  type GatewayView,
  GatewayViewSchema,
} from './api/GatewayView';
export {
  type EvaluationOutcome,
  EvaluationOutcomeSchema,
  type EvaluationRow,
  EvaluationRowSchema,
  type MinerDetail,
  MinerDetailSchema,
} from './api/MinerDetail';
export {
  FAILURE_KINDS,
  type FailureCounts,
  FailureCountsSchema,
  type FailureKind,
  type FamilyScore,
  FamilyScoreSchema,
  type LatencyPercentiles,
  LatencyPercentilesSchema,
  type MinerEpoch,
  MinerEpochSchema,
} from './api/MinerEpoch';
export {
  type MinerSummary,
  MinerSummarySchema,
  type MinersView,
  MinersViewSchema,
} from './api/MinersView';
export {
  type QualityMethod,
  QualityMethodSchema,
  type QualityPoint,
  QualityPointSchema,
  type QualityView,
  QualityViewSchema,
} from './api/QualityView';
export {
  type NeuronRow,
  NeuronRowSchema,
  type PendingCommit,
  PendingCommitSchema,
  type RevealRow,
  RevealRowSchema,
  type SubnetView,
  SubnetViewSchema,
} from './api/SubnetView';
export { DashboardError, type DashboardErrorCode } from './errors/DashboardError';
export { type MeanInterval, meanInterval } from './quality/meanInterval';
export { type QualitySample, qualityFromEvaluations } from './quality/qualityFromEvaluations';
export { MIN_TOKEN_LENGTH } from './server/DashboardAccess';
export type {
  DashboardLogger,
  DashboardServerOptions,
  RunningDashboard,
} from './server/DashboardServerOptions';
export { startDashboard } from './server/startDashboard';
export { chainSubnetSource } from './sources/chainSubnetSource';
export type { DashboardSources } from './sources/DashboardSources';
export {
  leaderboardQualitySource,
  qualityFromLeaderboard,
} from './sources/leaderboardQualitySource';

export {
  EpochRecorder,
  type EvaluationSink,
  type ObservedRequest,
  type RecordedEpoch,
} from './EpochRecorder';
export { failureKind } from './failureKind';
export {
  DEFAULT_HISTORY_EPOCHS,
  DEFAULT_HISTORY_EVALUATIONS,
  HISTORY_SCHEMA_VERSION,
  type HistoryFile,
  HistoryFileSchema,
  type MinerHistory,
  MinerHistorySchema,
} from './HistoryFile';
export { type HistoryLimits, HistoryStore, historyPathFor } from './HistoryStore';
export { latencyPercentiles } from './latencyPercentiles';

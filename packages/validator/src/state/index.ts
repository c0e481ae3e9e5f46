export {
  type AtomicWriteOptions,
  atomicWriteFile,
  previousCopyPath,
  removeStaleTempFiles,
} from '@signal/chain';
export { readStateFile } from './readStateFile';
export {
  type DamagedStateFile,
  type RecoveredState,
  readStateWithRecovery,
  type StateRecovery,
} from './readStateWithRecovery';
export {
  emptyScoreState,
  type MinerState,
  MinerStateSchema,
  SCORE_STATE_SCHEMA_VERSION,
  type ScoreState,
  ScoreStateSchema,
} from './ScoreState';
export { ScoreStateStore, SETTLED_COMMITS_KEPT } from './ScoreStateStore';
export { StateFileError, type StateFileErrorCode } from './StateFileError';
export { loadScoreState, recoverScoreState, saveScoreState } from './scoreStateFile';
export {
  type NeuronAssignment,
  reconcileScoreState,
  recordScoredResponse,
  type ScoredResponse,
  ScoredResponseSchema,
  type UpdateOptions,
} from './updateScoreState';
export { type WeightCommitRecord, WeightCommitRecordSchema } from './WeightCommitRecord';

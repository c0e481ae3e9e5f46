export { atomicWriteFile, removeStaleTempFiles } from './atomicWriteFile';
export { readStateFile } from './readStateFile';
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
export { loadScoreState, saveScoreState } from './scoreStateFile';
export {
  type NeuronAssignment,
  reconcileScoreState,
  recordScoredResponse,
  type ScoredResponse,
  ScoredResponseSchema,
  type UpdateOptions,
} from './updateScoreState';
export { type WeightCommitRecord, WeightCommitRecordSchema } from './WeightCommitRecord';

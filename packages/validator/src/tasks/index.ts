export { type ContinuationTaskParameters, synthesizeContinuationTask } from './continuationTask';
export { type ExistenceTaskParameters, synthesizeExistenceTask } from './existenceTask';
export { generateNeedles } from './needleFacts';
export { type NeedleTaskParameters, synthesizeNeedleTask } from './needleTask';
export { type RecallVocabulary, RecallVocabularySchema } from './RecallVocabulary';
export { type RecallTaskParameters, synthesizeRecallTask } from './recallTask';
export { isScoredRequest, type ScoredRequestParameters } from './scoredRequest';
export {
  type SynthesizeTasksParameters,
  SynthesizeTasksParametersSchema,
  synthesizeTasks,
} from './synthesizeTasks';
export {
  type ContinuationTask,
  ContinuationTaskSchema,
  type ExistenceProbe,
  ExistenceProbeSchema,
  type ExistenceTask,
  ExistenceTaskSchema,
  type Needle,
  type NeedleKind,
  NeedleKindSchema,
  NeedleSchema,
  type NeedleTask,
  NeedleTaskSchema,
  type RecallPair,
  RecallPairSchema,
  type RecallTask,
  RecallTaskSchema,
  TASK_FAMILIES,
  type Task,
  type TaskFamily,
  TaskFamilySchema,
  TaskSchema,
} from './Task';
export { TaskSynthesisError, type TaskSynthesisErrorCode } from './TaskSynthesisError';
export { type TaskTier, TaskTierSchema } from './TaskTier';
export { taskId } from './taskId';
export { taskPrompts } from './taskPrompts';

export { type ContinuationTaskParameters, synthesizeContinuationTask } from './continuationTask';
export { type ExistenceTaskParameters, synthesizeExistenceTask } from './existenceTask';
export { generateNeedles } from './needleFacts';
export { type NeedleTaskParameters, synthesizeNeedleTask } from './needleTask';
export { type RecallVocabulary, RecallVocabularySchema } from './RecallVocabulary';
export { type RecallTaskParameters, synthesizeRecallTask } from './recallTask';
export { synthesizeAggregationTask } from './ruler/aggregationTask';
export { type RulerTaskParameters, synthesizeMultiNeedleTask } from './ruler/multiNeedleTask';
export { synthesizeMultiQueryTask } from './ruler/multiQueryTask';
export {
  type RulerOptions,
  type RulerOptionsInput,
  RulerOptionsSchema,
} from './ruler/RulerOptions';
export {
  type AggregationTask,
  AggregationTaskSchema,
  type MultiNeedleTask,
  MultiNeedleTaskSchema,
  type MultiQueryTask,
  MultiQueryTaskSchema,
  type PlacedNeedle,
  PlacedNeedleSchema,
  type ReferenceQuestion,
  ReferenceQuestionSchema,
  type RulerTask,
  type VariableTrackingTask,
  VariableTrackingTaskSchema,
} from './ruler/RulerTask';
export {
  isReferenceFamily,
  isReferenceTask,
  REFERENCE_FAMILIES,
  type ReferenceFamily,
  type ReferenceTask,
  referenceQuestions,
} from './ruler/referenceFamilies';
export { synthesizeVariableTrackingTask } from './ruler/variableTrackingTask';
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

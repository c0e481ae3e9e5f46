import { SignalError } from '@signal/core';

export type TaskSynthesisErrorCode =
  | 'TASK_BAD_PARAMETERS'
  | 'TASK_BUDGET_TOO_SMALL'
  | 'TASK_BAD_RECALL_VOCABULARY'
  | 'TASK_NO_NEGATIVE_CHUNK';

/** Task synthesis was asked for something it cannot make; `details` names the parameter. */
export class TaskSynthesisError extends SignalError<TaskSynthesisErrorCode> {
  override name = 'TaskSynthesisError';
}

import { isSignalError } from '@signal/core';
import { TaskSynthesisError } from './TaskSynthesisError';

/** Runs a context builder, turning the corpus's "budget too small" into a task error. */
export function withinBudget<T>(tier: string, maxContextChars: number, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (isSignalError(error, 'CORPUS_BUDGET_TOO_SMALL')) {
      throw new TaskSynthesisError(
        'TASK_BUDGET_TOO_SMALL',
        `Tier "${tier}" is too small for this task family.`,
        { details: `maxContextChars=${maxContextChars}`, cause: error },
      );
    }
    throw error;
  }
}

import type { Task, TaskFamily } from '../Task';
import type { ReferenceQuestion } from './RulerTask';

/** The families built from a reference model's vocabulary (`recall.vocabulary`). */
export const REFERENCE_FAMILIES = [
  'recall',
  'multi_needle',
  'multi_query',
  'variable_tracking',
  'aggregation',
] as const satisfies readonly TaskFamily[];
export type ReferenceFamily = (typeof REFERENCE_FAMILIES)[number];

export function isReferenceFamily(family: TaskFamily): family is ReferenceFamily {
  return (REFERENCE_FAMILIES as readonly TaskFamily[]).includes(family);
}

export type ReferenceTask = Extract<Task, { family: ReferenceFamily }>;

export function isReferenceTask(task: Task): task is ReferenceTask {
  return isReferenceFamily(task.family);
}

/**
 * A reference task's questions, asked after condensation, and how they combine: `each`
 * averages them, `all` needs every one.
 */
export function referenceQuestions(task: ReferenceTask): {
  questions: readonly ReferenceQuestion[];
  scoring: 'each' | 'all';
} {
  return task.family === 'recall'
    ? { questions: [task.question], scoring: 'each' }
    : { questions: task.questions, scoring: task.scoring };
}

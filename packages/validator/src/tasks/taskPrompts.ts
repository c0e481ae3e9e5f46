import { isReferenceTask, referenceQuestions } from './ruler/referenceFamilies';
import type { Task } from './Task';

/**
 * The prompts to run after the condensed context, in order; `evaluateAnswers` expects one
 * completion per prompt. Continuation tasks have none: they are scored on log-probs.
 */
export function taskPrompts(task: Task): string[] {
  if (isReferenceTask(task)) return referenceQuestions(task).questions.map((q) => q.prompt);
  switch (task.family) {
    case 'needle':
      return [task.prompt];
    case 'existence':
      return task.probes.map((probe) => probe.prompt);
    case 'continuation':
      return [];
  }
}

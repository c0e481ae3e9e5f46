import type { ExistenceTask, NeedleTask, RecallTask } from '../tasks/Task';
import { exactMatch, extractAnswer, tokenF1 } from './answerMetrics';
import { EvaluationError } from './EvaluationError';
import { yesNoAccuracy } from './yesNo';

/** The task families scored on completions (continuation is scored on log-probs). */
export type AnswerTask = NeedleTask | RecallTask | ExistenceTask;

export type AnswerEvaluation =
  | { family: 'needle'; exactMatch: 0 | 1; f1: number; accuracy: number }
  | { family: 'recall'; accuracy: 0 | 1 }
  | { family: 'existence'; accuracy: number };

export interface EvaluateAnswersOptions {
  /** Which needle metric becomes `accuracy`: token F1 (partial credit) or exact match. */
  needleMetric?: 'f1' | 'exact';
}

function single(completions: readonly string[], family: string): string {
  if (completions.length !== 1) {
    throw new EvaluationError(
      'EVAL_LENGTH_MISMATCH',
      `A ${family} task takes exactly one completion.`,
      {
        details: `got ${completions.length}`,
      },
    );
  }
  return completions[0]!;
}

/**
 * Scores the completions for `taskPrompts(task)`, one per prompt, as an accuracy in [0, 1].
 * Needle: EM and F1 on the extracted answer. Recall: the continuation of the key must start
 * with the value. Existence: yes/no accuracy over the probes.
 */
export function evaluateAnswers(
  task: AnswerTask,
  completions: readonly string[],
  { needleMetric = 'f1' }: EvaluateAnswersOptions = {},
): AnswerEvaluation {
  switch (task.family) {
    case 'needle': {
      const answer = extractAnswer(single(completions, 'needle'));
      const em = exactMatch(answer, task.expected.answers);
      const f1 = tokenF1(answer, task.expected.answers);
      return { family: 'needle', exactMatch: em, f1, accuracy: needleMetric === 'f1' ? f1 : em };
    }
    case 'recall': {
      const continuation = single(completions, 'recall').trimStart();
      return {
        family: 'recall',
        accuracy: continuation.startsWith(task.expected.answers[0]!) ? 1 : 0,
      };
    }
    case 'existence':
      return {
        family: 'existence',
        accuracy: yesNoAccuracy(
          task.probes.map((probe) => probe.expected),
          completions,
        ),
      };
  }
}

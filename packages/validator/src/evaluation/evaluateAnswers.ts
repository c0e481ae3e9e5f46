import type { RulerTask } from '../tasks/ruler/RulerTask';
import type { ExistenceTask, NeedleTask, RecallTask } from '../tasks/Task';
import { exactMatch, extractAnswer, tokenF1 } from './answerMetrics';
import { EvaluationError } from './EvaluationError';
import { exactWords } from './exactWords';
import { yesNoAccuracy } from './yesNo';

/** The task families scored on completions (continuation is scored on log-probs). */
export type AnswerTask = NeedleTask | RecallTask | ExistenceTask | RulerTask;

export type AnswerEvaluation =
  | { family: 'needle'; exactMatch: 0 | 1; f1: number; accuracy: number }
  | { family: 'recall'; accuracy: 0 | 1 }
  | { family: 'existence'; accuracy: number }
  | {
      family: RulerTask['family'];
      /** Per question, 1 when the reply starts with its answer's exact words. */
      correct: (0 | 1)[];
      accuracy: number;
    };

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
 * with the value. Existence: yes/no accuracy over the probes. RULER-style families: each
 * reply must start with its answer's exact words; `each` scoring averages the questions,
 * `all` scores 1 only when every one is right.
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
    case 'multi_needle':
    case 'multi_query':
    case 'variable_tracking':
    case 'aggregation': {
      if (completions.length !== task.questions.length) {
        throw new EvaluationError(
          'EVAL_LENGTH_MISMATCH',
          `A ${task.family} task takes one completion per question.`,
          { details: `${task.questions.length} questions, ${completions.length} completions` },
        );
      }
      const correct = task.questions.map((question, i) =>
        exactWords(completions[i]!, question.answer),
      );
      const right = correct.reduce<number>((sum, c) => sum + c, 0);
      const accuracy =
        task.scoring === 'all' ? (right === correct.length ? 1 : 0) : right / correct.length;
      return { family: task.family, correct, accuracy };
    }
  }
}

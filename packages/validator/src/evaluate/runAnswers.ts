import type { CausalLM } from '@signal/runtime';
import type { AnswerTask } from '../evaluation/evaluateAnswers';
import { taskPrompts } from '../tasks/taskPrompts';
import type { Conditioning } from './Conditioning';
import type { ModelRunner } from './ModelRunner';

export interface AnswerOptions {
  maxAnswerTokens: number;
}

/** The prompt as it follows a context: on its own line, answer expected on the next. */
export function promptIds(lm: CausalLM, prompt: string): number[] {
  return lm.tokenizer.encode(`\n${prompt}\n`, { addSpecialTokens: false });
}

/** Greedy completions of every prompt of the task, each after the same conditioning. */
export async function runAnswers(
  runner: ModelRunner,
  task: AnswerTask,
  conditioning: Conditioning,
  { maxAnswerTokens }: AnswerOptions,
): Promise<string[]> {
  const completions: string[] = [];
  for (const prompt of taskPrompts(task)) {
    completions.push(
      await runner.answer(conditioning, promptIds(runner.lm, prompt), maxAnswerTokens),
    );
  }
  return completions;
}

import type { Task } from '../tasks/Task';
import type { ModelRunner } from './ModelRunner';

/** What the full context gives the target model, computed once per task and model. */
export interface TaskReference {
  contextIds: number[];
  /** Continuation tasks: the scored continuation ids after the first one, which is the prompt. */
  continuation?: { first: number; rest: number[]; fullLogProbs: Float64Array };
}

export interface ReferenceOptions {
  /** Longest continuation scored, in tokens; longer held-out text is cut. */
  maxContinuationTokens: number;
}

/**
 * The full-context side of an evaluation. Continuations are scored from their second token
 * on, with the first fed as a prompt, because a restored cache carries no last logits to
 * predict the first one; the full context is scored the same way so the two line up.
 */
export async function taskReference(
  runner: ModelRunner,
  task: Task,
  { maxContinuationTokens }: ReferenceOptions,
): Promise<TaskReference> {
  const { tokenizer } = runner.lm;
  const contextIds = tokenizer.encode(task.context);
  if (task.family !== 'continuation') return { contextIds };
  const ids = tokenizer
    .encode(task.continuation, { addSpecialTokens: false })
    .slice(0, maxContinuationTokens + 1);
  const [first, ...rest] = ids;
  if (first === undefined || rest.length === 0) return { contextIds };
  const fullLogProbs = await runner.continuationLogProbs(
    { kind: 'ids', ids: contextIds, condensedTokens: contextIds.length },
    first,
    rest,
  );
  return { contextIds, continuation: { first, rest, fullLogProbs } };
}

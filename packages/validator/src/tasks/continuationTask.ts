import { composePassage, fillerSentences, passageText } from '../corpus/passage';
import type { SeededRandom } from '../corpus/SeededRandom';
import { withinBudget } from './budget';
import type { ContinuationTask } from './Task';
import { TaskSynthesisError } from './TaskSynthesisError';
import type { TaskTier } from './TaskTier';

export interface ContinuationTaskParameters {
  random: SeededRandom;
  id: string;
  tier: TaskTier;
  /** At least this many characters are held out (whole sentences). */
  continuationChars: number;
}

/** One generated passage split at a sentence boundary: the context, then what followed it. */
export function synthesizeContinuationTask({
  random,
  id,
  tier,
  continuationChars,
}: ContinuationTaskParameters): ContinuationTask {
  // One sentence stream for both halves, so the held-out text continues the same passage.
  const filler = fillerSentences(random.fork('filler'));
  const passage = withinBudget(tier.name, tier.maxContextChars, () =>
    composePassage({ random: random.fork('layout'), filler, maxChars: tier.maxContextChars }),
  );
  if (passage.sentences.length === 0) {
    throw new TaskSynthesisError(
      'TASK_BUDGET_TOO_SMALL',
      `Tier "${tier.name}" holds no sentence.`,
      {
        details: `maxContextChars=${tier.maxContextChars}`,
      },
    );
  }
  let continuation = '';
  while (continuation.length < continuationChars) continuation += ` ${filler.next().value}`;
  return {
    family: 'continuation',
    id,
    tier: tier.name,
    context: passageText(passage),
    continuation,
  };
}

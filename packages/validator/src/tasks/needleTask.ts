import { composePassage, fillerSentences, passageText } from '../corpus/passage';
import type { SeededRandom } from '../corpus/SeededRandom';
import { withinBudget } from './budget';
import { generateNeedles } from './needleFacts';
import type { NeedleTask } from './Task';
import type { TaskTier } from './TaskTier';

export interface NeedleTaskParameters {
  random: SeededRandom;
  id: string;
  tier: TaskTier;
  /** Facts in the context: one target plus `needles - 1` distractors. */
  needles: number;
}

/** Facts embedded at seeded depths in filler; the question asks for one of them. */
export function synthesizeNeedleTask({
  random,
  id,
  tier,
  needles: count,
}: NeedleTaskParameters): NeedleTask {
  const needles = generateNeedles(random.fork('needles'), count);
  const passage = withinBudget(tier.name, tier.maxContextChars, () =>
    composePassage({
      random: random.fork('layout'),
      filler: fillerSentences(random.fork('filler')),
      maxChars: tier.maxContextChars,
      inserts: needles.map((needle) => needle.sentence),
    }),
  );
  // Ask for a fact of the kind `generateNeedles` guarantees a same-kind distractor for.
  const askable = needles.flatMap((needle, i) => (needle.kind === needles[0]!.kind ? [i] : []));
  const target = random.fork('target').pick(askable);
  const needle = needles[target]!;
  return {
    family: 'needle',
    id,
    tier: tier.name,
    context: passageText(passage),
    needles,
    target,
    prompt: `Answer the question from the context. Reply with the answer only.\nQuestion: ${needle.question}`,
    expected: { answers: needle.answers },
  };
}

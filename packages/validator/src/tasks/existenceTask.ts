import { composePassage, fillerSentences, passageText } from '../corpus/passage';
import type { SeededRandom } from '../corpus/SeededRandom';
import { NOUNS } from '../corpus/wordList';
import { withinBudget } from './budget';
import type { ExistenceProbe, ExistenceTask } from './Task';
import { TaskSynthesisError } from './TaskSynthesisError';
import type { TaskTier } from './TaskTier';

export interface ExistenceTaskParameters {
  random: SeededRandom;
  id: string;
  tier: TaskTier;
}

const NOUN_SET: ReadonlySet<string> = new Set(NOUNS);

/**
 * A near miss: the sentence with one noun swapped for another. It reads like the context,
 * so only a payload that kept the content (not just its style) tells the two apart.
 */
function swapOneNoun(random: SeededRandom, sentence: string): string | undefined {
  const words = sentence.split(' ');
  const nounAt = words.flatMap((word, i) => (NOUN_SET.has(word.replace(/[.,]$/, '')) ? [i] : []));
  if (nounAt.length === 0) return undefined;
  const at = random.pick(nounAt);
  const word = words[at]!;
  const bare = word.replace(/[.,]$/, '');
  const replacement = random.pick(NOUNS.filter((noun) => noun !== bare));
  words[at] = replacement + word.slice(bare.length);
  return words.join(' ');
}

function probe(chunk: string, expected: 'yes' | 'no'): ExistenceProbe {
  return {
    chunk,
    expected,
    prompt: `Was the following sentence in the context? Answer yes or no.\nSentence: ${chunk}`,
  };
}

const MAX_NEGATIVE_ATTEMPTS = 64;

/** One sentence from the context (yes) and a near miss that is not in it (no), in seeded order. */
export function synthesizeExistenceTask({
  random,
  id,
  tier,
}: ExistenceTaskParameters): ExistenceTask {
  const passage = withinBudget(tier.name, tier.maxContextChars, () =>
    composePassage({
      random: random.fork('layout'),
      filler: fillerSentences(random.fork('filler')),
      maxChars: tier.maxContextChars,
    }),
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
  const context = passageText(passage);
  const pick = random.fork('probes');
  const positive = pick.pick(passage.sentences);

  let negative: string | undefined;
  for (let attempt = 0; attempt < MAX_NEGATIVE_ATTEMPTS && negative === undefined; attempt++) {
    const candidate = swapOneNoun(pick, pick.pick(passage.sentences));
    if (candidate !== undefined && !context.includes(candidate)) negative = candidate;
  }
  if (negative === undefined) {
    throw new TaskSynthesisError(
      'TASK_NO_NEGATIVE_CHUNK',
      'Could not make a chunk absent from the context.',
      {
        details: `task ${id}, after ${MAX_NEGATIVE_ATTEMPTS} attempts`,
      },
    );
  }
  const probes = pick.shuffle([probe(positive, 'yes'), probe(negative, 'no')]);
  return { family: 'existence', id, tier: tier.name, context, probes };
}

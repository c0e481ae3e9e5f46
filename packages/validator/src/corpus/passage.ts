import { CorpusError } from './CorpusError';
import { SeededRandom } from './SeededRandom';
import { generateSentence } from './sentence';

/**
 * Sentences laid out in paragraphs. `separators[i]` goes before `sentences[i]` (empty for
 * the first), so a passage can be measured and split at any sentence boundary.
 */
export interface Passage {
  readonly sentences: readonly string[];
  readonly separators: readonly string[];
}

/** An endless stream of filler sentences from one seeded source. */
export function* fillerSentences(random: SeededRandom): Generator<string, never> {
  for (;;) yield generateSentence(random);
}

/** The text of sentences `[from, to)` of a passage, without the separator before `from`. */
export function passageText(passage: Passage, from = 0, to = passage.sentences.length): string {
  let text = '';
  for (let i = from; i < to; i++) {
    if (i > from) text += passage.separators[i];
    text += passage.sentences[i];
  }
  return text;
}

export interface ComposePassageParameters {
  /** Seeded source for the layout: where inserts go and where paragraphs break. */
  random: SeededRandom;
  /** Where filler sentences come from; the caller may keep drawing from it afterwards. */
  filler: Iterator<string>;
  maxChars: number;
  /** Sentences that must appear (facts, probes), placed at seeded positions among the filler. */
  inserts?: readonly string[];
}

export interface ComposedPassage extends Passage {
  /** Index in `sentences` of each insert, in the order the inserts were given. */
  readonly insertIndices: readonly number[];
}

/** The widest separator: budgeting with it guarantees the laid-out text fits. */
const MAX_SEPARATOR = 2;

/**
 * Filler plus inserts, as long as whole sentences allow without passing `maxChars`.
 * Paragraphs hold three to six sentences. Throws when the inserts alone do not fit.
 */
export function composePassage({
  random,
  filler,
  maxChars,
  inserts = [],
}: ComposePassageParameters): ComposedPassage {
  const insertChars = inserts.reduce((sum, s) => sum + s.length + MAX_SEPARATOR, 0);
  if (insertChars > maxChars) {
    throw new CorpusError('CORPUS_BUDGET_TOO_SMALL', 'The text budget cannot hold the facts.', {
      details: `${inserts.length} inserted sentences need ${insertChars} characters; the budget is ${maxChars}`,
    });
  }
  const fillerSentences: string[] = [];
  let used = insertChars;
  for (;;) {
    const next = filler.next();
    if (next.done) break;
    if (used + next.value.length + MAX_SEPARATOR > maxChars) break;
    fillerSentences.push(next.value);
    used += next.value.length + MAX_SEPARATOR;
  }

  const total = fillerSentences.length + inserts.length;
  const insertSlots = random.fork('inserts').sample(
    Array.from({ length: total }, (_, i) => i),
    inserts.length,
  );
  const sentences: string[] = new Array<string>(total);
  insertSlots.forEach((slot, i) => {
    sentences[slot] = inserts[i]!;
  });
  let nextFiller = 0;
  for (let i = 0; i < total; i++) {
    if (sentences[i] === undefined) sentences[i] = fillerSentences[nextFiller++]!;
  }

  return {
    sentences,
    separators: paragraphSeparators(random.fork('paragraphs'), total),
    insertIndices: insertSlots,
  };
}

function paragraphSeparators(random: SeededRandom, count: number): string[] {
  const separators: string[] = [];
  let untilBreak = random.int(3, 6);
  for (let i = 0; i < count; i++) {
    if (i === 0) {
      separators.push('');
      continue;
    }
    untilBreak -= 1;
    if (untilBreak > 0) {
      separators.push(' ');
      continue;
    }
    separators.push('\n\n');
    untilBreak = random.int(3, 6);
  }
  return separators;
}

/**
 * Filler prose of at most `maxChars` characters, deterministic from the seed: the same seed
 * and size always give the same text.
 */
export function generateFiller(seed: string, maxChars: number): string {
  const random = SeededRandom.from(seed, 'filler');
  const passage = composePassage({
    random: random.fork('layout'),
    filler: fillerSentences(random.fork('sentences')),
    maxChars,
  });
  return passageText(passage);
}

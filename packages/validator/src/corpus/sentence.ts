import type { SeededRandom } from './SeededRandom';
import {
  ADJECTIVES,
  ADVERBS,
  CONNECTIVES,
  FIRST_NAMES,
  INTRANSITIVE_VERBS,
  NOUNS,
  PLACES,
  PREPOSITIONS,
  TRANSITIVE_VERBS,
} from './wordList';

/** "a" or "an" before a word, by its first letter (the word list has no silent-h words). */
export function withArticle(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function nounPhrase(random: SeededRandom): string {
  const noun = random.pick(NOUNS);
  if (random.chance(0.5)) return `the ${noun}`;
  return random.chance(0.5)
    ? `the ${random.pick(ADJECTIVES)} ${noun}`
    : withArticle(`${random.pick(ADJECTIVES)} ${noun}`);
}

/**
 * The sentence shapes of the filler. Each one has at least one noun from `NOUNS`, which the
 * existence-check synthesiser relies on to make near-miss negatives by swapping one noun.
 */
const TEMPLATES: ReadonlyArray<(random: SeededRandom) => string> = [
  (r) =>
    `The ${r.pick(ADJECTIVES)} ${r.pick(NOUNS)} ${r.pick(TRANSITIVE_VERBS)} ${nounPhrase(r)} ${r.pick(PREPOSITIONS)} the ${r.pick(NOUNS)}.`,
  (r) => `${r.pick(FIRST_NAMES)} ${r.pick(TRANSITIVE_VERBS)} ${nounPhrase(r)} ${r.pick(ADVERBS)}.`,
  (r) =>
    `${capitalize(r.pick(PREPOSITIONS))} the ${r.pick(NOUNS)}, ${nounPhrase(r)} ${r.pick(INTRANSITIVE_VERBS)} for a while.`,
  (r) =>
    `${r.pick(CONNECTIVES)}, the ${r.pick(NOUNS)} from ${r.pick(PLACES)} ${r.pick(INTRANSITIVE_VERBS)} ${r.pick(ADVERBS)}.`,
  (r) =>
    `${r.pick(FIRST_NAMES)} said that ${nounPhrase(r)} had ${r.pick(TRANSITIVE_VERBS)} ${nounPhrase(r)}.`,
  (r) =>
    `It was ${r.pick(ADJECTIVES)} ${r.pick(PREPOSITIONS)} the ${r.pick(NOUNS)} when ${nounPhrase(r)} ${r.pick(INTRANSITIVE_VERBS)}.`,
  (r) =>
    `Nobody in ${r.pick(PLACES)} ${r.pick(TRANSITIVE_VERBS)} the ${r.pick(NOUNS)} as ${r.pick(ADVERBS)} as ${r.pick(FIRST_NAMES)} did.`,
  (r) =>
    `${capitalize(nounPhrase(r))} and ${nounPhrase(r)} ${r.pick(INTRANSITIVE_VERBS)} ${r.pick(PREPOSITIONS)} the ${r.pick(NOUNS)}.`,
];

/** One English-like sentence, starting with a capital and ending with a full stop. */
export function generateSentence(random: SeededRandom): string {
  return random.pick(TEMPLATES)(random);
}

import type { SeededRandom } from '../corpus/SeededRandom';
import {
  ADJECTIVES,
  EVENTS,
  FIRST_NAMES,
  LAST_NAMES,
  MONTHS,
  NOUNS,
  PLACES,
} from '../corpus/wordList';
import type { Needle, NeedleKind } from './Task';
import { TaskSynthesisError } from './TaskSynthesisError';

// Letters and digits that read unambiguously in any font: no I/1, O/0.
const CODE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const CODE_DIGITS = '23456789';

function code(random: SeededRandom): string {
  const letters = Array.from({ length: 3 }, () => random.pick([...CODE_LETTERS])).join('');
  const digits = Array.from({ length: 4 }, () => random.pick([...CODE_DIGITS])).join('');
  return `${letters}-${digits}`;
}

const makers: Record<NeedleKind, (random: SeededRandom) => Needle> = {
  code: (random) => {
    const subject = `${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`;
    const value = code(random);
    return {
      kind: 'code',
      subject,
      sentence: `The access code for the ${subject} is ${value}.`,
      question: `What is the access code for the ${subject}?`,
      answers: [value],
    };
  },
  name: (random) => {
    const subject = `${random.pick(NOUNS)} in ${random.pick(PLACES)}`;
    const value = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
    return {
      kind: 'name',
      subject,
      sentence: `The keeper of the ${subject} is ${value}.`,
      question: `Who is the keeper of the ${subject}?`,
      answers: [value],
    };
  },
  date: (random) => {
    const subject = `${random.pick(PLACES)} ${random.pick(EVENTS)}`;
    const day = random.int(1, 28);
    const monthIndex = random.int(0, 11);
    const month = MONTHS[monthIndex]!;
    const year = random.int(1850, 2019);
    const iso = `${year}-${String(monthIndex + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    return {
      kind: 'date',
      subject,
      sentence: `The ${subject} was held on ${day} ${month} ${year}.`,
      question: `On what date was the ${subject} held?`,
      answers: [`${day} ${month} ${year}`, `${month} ${day}, ${year}`, iso],
    };
  },
};

const KINDS: readonly NeedleKind[] = ['code', 'name', 'date'];

/**
 * `count` facts with distinct subjects. The first decides the target's kind; at least one
 * distractor shares it, so finding "an access code" is not enough to answer.
 */
export function generateNeedles(random: SeededRandom, count: number): Needle[] {
  const firstKind = random.pick(KINDS);
  const needles: Needle[] = [];
  const subjects = new Set<string>();
  let attempts = 0;
  while (needles.length < count) {
    if (++attempts > count * 50) {
      throw new TaskSynthesisError('TASK_BAD_PARAMETERS', 'Too many needles for the vocabulary.', {
        details: `could not find ${count} facts with distinct subjects`,
      });
    }
    const kind = needles.length < 2 ? firstKind : random.pick(KINDS);
    const needle = makers[kind](random);
    if (subjects.has(needle.subject)) continue;
    subjects.add(needle.subject);
    needles.push(needle);
  }
  return needles;
}

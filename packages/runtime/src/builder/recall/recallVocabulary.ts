/**
 * The token lists the recall model is built for, in the shape the validator's recall tasks
 * take (`RecallVocabulary` in `@signal/validator`): every entry is one whole token of the
 * recall tokenizer, and texts are written by joining tokens with `joiner`.
 */
export interface RecallModelVocabulary {
  keys: string[];
  values: string[];
  fillers: string[];
  separators: string[];
  /** The question token the model answers with the context's most frequent value. */
  aggregate: string;
  joiner: string;
}

/** How many keys and values the model distinguishes; each owns one residual dimension. */
export const RECALL_KEY_COUNT = 32;
export const RECALL_VALUE_COUNT = 32;

const FILLERS = [
  'the',
  'and',
  'of',
  'to',
  'in',
  'is',
  'it',
  'was',
  'for',
  'on',
  'with',
  'as',
  'at',
  'by',
  'from',
  'this',
  'that',
  'but',
  'not',
  'or',
  'all',
  'one',
  'had',
  'were',
];

const SEPARATORS = [',', ';', '.'];

/** Asks for the most frequent value; no other list holds it. */
const AGGREGATE = 'most';

// Fixed width, so no value is a prefix of another ("v1" vs "v10") when answers are matched as text.
const numbered = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

/** A fresh copy of the recall vocabulary (callers may keep or mutate it). */
export function recallVocabulary(): RecallModelVocabulary {
  return {
    keys: numbered('k', RECALL_KEY_COUNT),
    values: numbered('v', RECALL_VALUE_COUNT),
    fillers: [...FILLERS],
    separators: [...SEPARATORS],
    aggregate: AGGREGATE,
    joiner: ' ',
  };
}

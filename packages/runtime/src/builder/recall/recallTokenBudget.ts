import type { RecallModelVocabulary } from './recallVocabulary';

/**
 * The most recall-tokenizer tokens a text of `maxChars` characters can hold: every token
 * but the last costs at least the shortest token plus the joiner. A tier's context budget
 * in characters becomes a budget in positions this way.
 */
export function recallTokenBudget(maxChars: number, vocabulary: RecallModelVocabulary): number {
  const tokens = [
    ...vocabulary.keys,
    ...vocabulary.values,
    ...vocabulary.fillers,
    ...vocabulary.separators,
  ];
  const shortest = Math.min(...tokens.map((token) => token.length));
  const step = shortest + vocabulary.joiner.length;
  return Math.max(0, Math.floor((maxChars + vocabulary.joiner.length) / step));
}

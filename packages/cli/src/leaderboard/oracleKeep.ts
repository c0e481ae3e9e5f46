import type { RecallModelVocabulary } from '@signal/runtime';
import { type ReferenceTask, referenceQuestions } from '@signal/validator';

/**
 * The oracle's cache positions: the evidence of every question (round robin over the
 * questions, each one's most important first; a word's token is its index + 1, after BOS),
 * then positions that hold neither a key nor a value, then the rest, earliest first, until
 * `kept` are chosen. It knows the questions, so it is the ceiling, not a press.
 */
export function oracleKeep(
  task: ReferenceTask,
  ids: readonly number[],
  kept: number,
  content: ReadonlySet<number>,
): number[] {
  const { questions } = referenceQuestions(task);
  const chosen = new Set<number>();
  const longest = Math.max(...questions.map((q) => q.evidence.length));
  for (let rank = 0; rank < longest && chosen.size < kept; rank++) {
    for (const question of questions) {
      const word = question.evidence[rank];
      if (word !== undefined && chosen.size < kept) chosen.add(word + 1);
    }
  }
  for (const neutral of [true, false]) {
    for (let position = 0; position < ids.length && chosen.size < kept; position++) {
      if (content.has(ids[position]!) !== neutral) chosen.add(position);
    }
  }
  return [...chosen].sort((a, b) => a - b);
}

/** Token ids of the vocabulary's keys and values: the positions that carry content. */
export function contentTokens(
  encode: (word: string) => number,
  vocabulary: RecallModelVocabulary,
): Set<number> {
  return new Set([...vocabulary.keys, ...vocabulary.values].map(encode));
}

import type { SeededRandom } from '../../corpus/SeededRandom';
import type { RecallVocabulary } from '../RecallVocabulary';
import { TaskSynthesisError } from '../TaskSynthesisError';

/** A key and the value words it is paired with. */
export interface DrawnNeedle {
  readonly key: string;
  readonly value: readonly string[];
}

/**
 * `count` keys, each with a value of `valueTokens` words, every key and every value word
 * distinct across the context: a value word that occurred twice would have two successors,
 * and a reader continuing it could not tell which one follows.
 */
export function drawNeedles(
  random: SeededRandom,
  vocabulary: RecallVocabulary,
  count: number,
  valueTokens: number,
): DrawnNeedle[] {
  assertEnough(vocabulary, count, count * valueTokens, `${count} needles of ${valueTokens} values`);
  const keys = random.sample(vocabulary.keys, count);
  const values = random.sample(vocabulary.values, count * valueTokens);
  return keys.map((key, i) => ({
    key,
    value: values.slice(i * valueTokens, (i + 1) * valueTokens),
  }));
}

/** Refuses a task that needs more distinct keys or values than the vocabulary has. */
export function assertEnough(
  vocabulary: RecallVocabulary,
  keys: number,
  values: number,
  what: string,
): void {
  if (keys > vocabulary.keys.length || values > vocabulary.values.length) {
    throw new TaskSynthesisError(
      'TASK_BAD_RECALL_VOCABULARY',
      `Not enough distinct keys or values for ${what}.`,
      {
        details: `needs ${keys} keys and ${values} values; the vocabulary has ${vocabulary.keys.length} and ${vocabulary.values.length}`,
      },
    );
  }
}

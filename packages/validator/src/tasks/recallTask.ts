import type { SeededRandom } from '../corpus/SeededRandom';
import type { RecallVocabulary } from './RecallVocabulary';
import type { RecallPair, RecallTask } from './Task';
import { TaskSynthesisError } from './TaskSynthesisError';
import type { TaskTier } from './TaskTier';

export interface RecallTaskParameters {
  random: SeededRandom;
  id: string;
  tier: TaskTier;
  vocabulary: RecallVocabulary;
  /** `key value` pairs in the context; one of them is asked for. */
  pairs: number;
}

/** Each segment is followed by one separator token. */
type Segment = readonly string[];

function textLength(tokens: readonly string[], joiner: string): number {
  return (
    tokens.reduce((sum, token) => sum + token.length, 0) +
    joiner.length * Math.max(0, tokens.length - 1)
  );
}

/**
 * `key value` pairs scattered among runs of filler tokens, each run or pair closed by a
 * separator token; the prompt is a key and the expected answer its value.
 */
export function synthesizeRecallTask({
  random,
  id,
  tier,
  vocabulary,
  pairs: count,
}: RecallTaskParameters): RecallTask {
  if (count > vocabulary.keys.length || count > vocabulary.values.length) {
    throw new TaskSynthesisError(
      'TASK_BAD_RECALL_VOCABULARY',
      'Not enough keys or values for the pairs asked.',
      {
        details: `pairs=${count}, keys=${vocabulary.keys.length}, values=${vocabulary.values.length}`,
      },
    );
  }
  const pick = random.fork('pairs');
  const keys = pick.sample(vocabulary.keys, count);
  const values = pick.sample(vocabulary.values, count);
  const pairs: RecallPair[] = keys.map((key, i) => ({ key, value: values[i]! }));

  const { joiner } = vocabulary;
  const separators = random.fork('separators');
  const pairSegments: Segment[] = pairs.map((pair) => [
    pair.key,
    pair.value,
    separators.pick(vocabulary.separators),
  ]);
  // Budget each segment with the joiner that will precede it.
  const segmentChars = (segment: Segment) => textLength(segment, joiner) + joiner.length;
  let used = pairSegments.reduce((sum, segment) => sum + segmentChars(segment), 0);
  if (used > tier.maxContextChars) {
    throw new TaskSynthesisError(
      'TASK_BUDGET_TOO_SMALL',
      `Tier "${tier.name}" cannot hold ${count} recall pairs.`,
      {
        details: `the pairs need ${used} characters; maxContextChars=${tier.maxContextChars}`,
      },
    );
  }
  const fill = random.fork('filler');
  const fillerSegments: Segment[] = [];
  for (;;) {
    const run = Array.from({ length: fill.int(1, 4) }, () => fill.pick(vocabulary.fillers));
    const segment = [...run, separators.pick(vocabulary.separators)];
    if (used + segmentChars(segment) > tier.maxContextChars) break;
    fillerSegments.push(segment);
    used += segmentChars(segment);
  }

  const total = fillerSegments.length + pairSegments.length;
  const slots = random.fork('layout').sample(
    Array.from({ length: total }, (_, i) => i),
    pairSegments.length,
  );
  const ordered: Segment[] = new Array<Segment>(total);
  slots.forEach((slot, i) => {
    ordered[slot] = pairSegments[i]!;
  });
  let nextFiller = 0;
  for (let i = 0; i < total; i++) ordered[i] ??= fillerSegments[nextFiller++]!;

  const target = random.fork('target').int(0, pairs.length - 1);
  const asked = pairs[target]!;
  const askedAt = slots[target]!;
  const keyIndex = ordered.slice(0, askedAt).reduce((words, segment) => words + segment.length, 0);
  return {
    family: 'recall',
    id,
    tier: tier.name,
    context: ordered.flat().join(joiner),
    pairs,
    target,
    prompt: asked.key,
    expected: { answers: [asked.value] },
    question: { prompt: asked.key, answer: asked.value, evidence: [keyIndex + 1] },
  };
}

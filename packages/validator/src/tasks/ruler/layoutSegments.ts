import type { SeededRandom } from '../../corpus/SeededRandom';
import type { RecallVocabulary } from '../RecallVocabulary';
import { TaskSynthesisError } from '../TaskSynthesisError';
import type { TaskTier } from '../TaskTier';

/** The words of a laid-out context, and where each placed segment starts among them. */
export interface LaidOutContext {
  readonly words: readonly string[];
  /** `starts[i]` is the index in `words` of segment i's first word. */
  readonly starts: readonly number[];
}

/** Characters of `words` joined with `joiner`, plus the joiner that precedes them. */
function segmentChars(words: readonly string[], joiner: string): number {
  return words.reduce((sum, word) => sum + word.length + joiner.length, 0);
}

/**
 * Places `segments` (each a run of vocabulary words) at seeded slots among runs of 1–4
 * fillers, each run closed by a separator, until the tier's character budget is full. The
 * segments keep their order relative to each other only by chance: each takes a seeded slot.
 */
export function layoutSegments(parameters: {
  random: SeededRandom;
  tier: TaskTier;
  vocabulary: RecallVocabulary;
  segments: readonly (readonly string[])[];
  /** Names what the segments hold, for the error when they do not fit. */
  what: string;
}): LaidOutContext {
  const { random, tier, vocabulary, segments, what } = parameters;
  const { joiner } = vocabulary;
  let used = segments.reduce((sum, segment) => sum + segmentChars(segment, joiner), 0);
  if (used > tier.maxContextChars) {
    throw new TaskSynthesisError(
      'TASK_BUDGET_TOO_SMALL',
      `Tier "${tier.name}" cannot hold ${what}.`,
      { details: `they need ${used} characters; maxContextChars=${tier.maxContextChars}` },
    );
  }
  const fill = random.fork('filler');
  const fillers: string[][] = [];
  for (;;) {
    const run = Array.from({ length: fill.int(1, 4) }, () => fill.pick(vocabulary.fillers));
    const segment = [...run, fill.pick(vocabulary.separators)];
    if (used + segmentChars(segment, joiner) > tier.maxContextChars) break;
    fillers.push(segment);
    used += segmentChars(segment, joiner);
  }
  const total = fillers.length + segments.length;
  const slots = random.fork('layout').sample(
    Array.from({ length: total }, (_, i) => i),
    segments.length,
  );
  const placed = new Map(slots.map((slot, i) => [slot, i]));
  const words: string[] = [];
  const starts = new Array<number>(segments.length);
  let nextFiller = 0;
  for (let slot = 0; slot < total; slot++) {
    const segment = placed.get(slot);
    if (segment === undefined) {
      words.push(...fillers[nextFiller++]!);
    } else {
      starts[segment] = words.length;
      words.push(...segments[segment]!);
    }
  }
  return { words, starts };
}

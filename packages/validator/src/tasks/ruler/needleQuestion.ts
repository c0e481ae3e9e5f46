import type { DrawnNeedle } from './drawNeedles';
import type { ReferenceQuestion } from './RulerTask';

/** A placed pair as a question: its key asked, its value words expected, found right after it. */
export function needleQuestion(
  pair: DrawnNeedle,
  start: number,
  joiner: string,
): ReferenceQuestion {
  return {
    prompt: pair.key,
    answer: pair.value.join(joiner),
    evidence: pair.value.map((_, i) => start + 1 + i),
  };
}

import { EvaluationError } from './EvaluationError';

export type YesNo = 'yes' | 'no';

/**
 * Reads a yes/no verdict from a completion: the first sentence must say exactly one of
 * "yes" or "no" (as a word, in any case, through markdown or punctuation). A completion
 * that says both, or neither, is no verdict: hedging earns nothing.
 */
export function parseYesNo(completion: string): YesNo | undefined {
  const firstSentence = completion
    .trim()
    .replace(/^[\s*_`"'>#-]*(?:answer\s*[:\-–]\s*)?/i, '')
    .split(/(?<=[.!?])\s|\n/)[0]!
    .toLowerCase();
  const verdicts = new Set(firstSentence.match(/\b(?:yes|no)\b/g) ?? []);
  if (verdicts.size !== 1) return undefined;
  return verdicts.has('yes') ? 'yes' : 'no';
}

/** The share of probes whose completion gives the expected verdict, in [0, 1]. */
export function yesNoAccuracy(expected: readonly YesNo[], completions: readonly string[]): number {
  if (expected.length !== completions.length || expected.length === 0) {
    throw new EvaluationError(
      'EVAL_LENGTH_MISMATCH',
      'Each existence probe needs one completion.',
      {
        details: `${expected.length} probes, ${completions.length} completions`,
      },
    );
  }
  const correct = expected.filter((verdict, i) => parseYesNo(completions[i]!) === verdict).length;
  return correct / expected.length;
}

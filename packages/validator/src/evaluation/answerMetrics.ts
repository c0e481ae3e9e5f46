import { answerTokens, normalizeAnswer } from './normalizeAnswer';

/** 1 when the normalised prediction equals any normalised reference answer, else 0. */
export function exactMatch(prediction: string, answers: readonly string[]): 0 | 1 {
  const normalized = normalizeAnswer(prediction);
  return answers.some((answer) => normalizeAnswer(answer) === normalized) ? 1 : 0;
}

function f1Against(predicted: readonly string[], reference: readonly string[]): number {
  // SQuAD's convention: an empty answer only matches an empty reference.
  if (predicted.length === 0 || reference.length === 0) {
    return predicted.length === reference.length ? 1 : 0;
  }
  const remaining = new Map<string, number>();
  for (const token of reference) remaining.set(token, (remaining.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of predicted) {
    const left = remaining.get(token) ?? 0;
    if (left > 0) {
      common += 1;
      remaining.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predicted.length;
  const recall = common / reference.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Token-level F1 (bag of normalised words) against the best-matching reference, in [0, 1]. */
export function tokenF1(prediction: string, answers: readonly string[]): number {
  const predicted = answerTokens(prediction);
  return answers.reduce(
    (best, answer) => Math.max(best, f1Against(predicted, answerTokens(answer))),
    0,
  );
}

/**
 * The answer part of a model's completion: its first non-empty line, without a leading
 * "Answer:" label. Instruction-tuned models often go on talking after the answer, and the
 * metrics should judge the answer, not the chatter.
 */
export function extractAnswer(completion: string): string {
  const line = completion.split(/\r?\n/).find((candidate) => candidate.trim().length > 0) ?? '';
  return line.replace(/^\s*\**\s*answer\s*\**\s*[:\-–]\s*\**\s*/i, '').trim();
}

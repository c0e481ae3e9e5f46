/**
 * SQuAD-style answer normalisation: lower case, punctuation and symbols removed, the
 * articles a/an/the dropped, whitespace collapsed. "The JMY-4384." and "jmy4384" compare
 * equal, which is the point: formatting is not what a needle question tests.
 */
export function normalizeAnswer(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, '')
    .replace(/\b(a|an|the)\b/g, ' ')
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .join(' ');
}

/** The normalised answer split into words. */
export function answerTokens(text: string): string[] {
  const normalized = normalizeAnswer(text);
  return normalized.length === 0 ? [] : normalized.split(' ');
}

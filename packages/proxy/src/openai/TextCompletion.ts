import type { CompletionIdentity } from './ChatCompletion';
import type { FinishReason } from './FinishReason';
import type { Usage } from './Usage';

/** A whole `text_completion` with one choice. */
export function textCompletion(
  identity: CompletionIdentity,
  text: string,
  finishReason: FinishReason,
  counts: Usage,
) {
  return {
    ...identity,
    object: 'text_completion' as const,
    choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason }],
    usage: counts,
  };
}

/** One streamed `text_completion` chunk: a text delta, and the finish reason on the last. */
export function textChunk(
  identity: CompletionIdentity,
  text: string,
  finishReason: FinishReason | null,
  includeUsage: boolean,
) {
  return {
    ...identity,
    object: 'text_completion' as const,
    choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  };
}

/** The usage-only chunk of a streamed text completion. */
export function textUsageChunk(identity: CompletionIdentity, counts: Usage) {
  return { ...identity, object: 'text_completion' as const, choices: [], usage: counts };
}

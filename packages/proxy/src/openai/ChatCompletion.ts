import type { FinishReason } from './FinishReason';
import type { Usage } from './Usage';

/** What every object of one completion shares: its id, creation time (seconds) and model. */
export interface CompletionIdentity {
  id: string;
  created: number;
  model: string;
}

/** A whole `chat.completion` with one choice. */
export function chatCompletion(
  identity: CompletionIdentity,
  content: string,
  finishReason: FinishReason,
  counts: Usage,
) {
  return {
    ...identity,
    object: 'chat.completion' as const,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content, refusal: null },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: counts,
  };
}

/** The delta of one streamed chat chunk: the role first, then content, then nothing with the finish reason. */
export type ChatDelta = { role?: 'assistant'; content?: string };

/**
 * One `chat.completion.chunk`. With `stream_options.include_usage` every chunk carries
 * `usage: null` and a last chunk with no choices carries the counts; without it there is no
 * `usage` key at all.
 */
export function chatChunk(
  identity: CompletionIdentity,
  delta: ChatDelta,
  finishReason: FinishReason | null,
  includeUsage: boolean,
) {
  return {
    ...identity,
    object: 'chat.completion.chunk' as const,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  };
}

/** The usage-only chunk sent before `[DONE]` when `stream_options.include_usage` is set. */
export function chatUsageChunk(identity: CompletionIdentity, counts: Usage) {
  return { ...identity, object: 'chat.completion.chunk' as const, choices: [], usage: counts };
}

import { type ChatMessage, messageText } from '../openai/ChatMessage';
import type { CondensePolicy } from './CondensePolicy';
import type { TokenCounter } from './countTokens';

/** A message the proxy will condense: where it sits and its text. */
export interface LongPart {
  readonly index: number;
  readonly text: string;
  readonly tokens: number;
}

/**
 * The messages worth condensing, in order: text content (strings or text parts only, so
 * images and tool calls are never touched) of at least `minTokens`, minus the system
 * prompts and the last user turn when the policy keeps them verbatim.
 */
export function findLongParts(
  messages: readonly ChatMessage[],
  policy: Pick<CondensePolicy, 'minTokens' | 'keepSystem' | 'keepLastUser'>,
  countTokens: TokenCounter,
): LongPart[] {
  const lastUser = messages.findLastIndex((message) => message.role === 'user');
  const parts: LongPart[] = [];
  messages.forEach((message, index) => {
    if (policy.keepSystem && (message.role === 'system' || message.role === 'developer')) return;
    if (policy.keepLastUser && index === lastUser) return;
    if (message.role === 'tool' || message.role === 'function') return;
    const text = messageText(message);
    if (text === undefined || text.length === 0) return;
    const tokens = countTokens(text);
    if (tokens >= policy.minTokens) parts.push({ index, text, tokens });
  });
  return parts;
}

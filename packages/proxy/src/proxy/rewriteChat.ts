import type { ChatCompletionRequest } from '../openai/ChatCompletionRequest';
import { CondenseFailure } from './CondenseFailure';
import type { CondensedParts } from './condenseParts';

/**
 * The request to forward once its long parts are condensed. In text format each long
 * message keeps its place and role and takes the compressed text as its content. In kv or
 * soft format the long messages leave the conversation and their one payload travels in
 * `signal_condensed`, which `signal serve` puts ahead of the conversation. Every other field
 * of the request is kept as it came.
 */
export function rewriteChat(
  request: ChatCompletionRequest,
  condensed: CondensedParts,
  format: 'text' | 'kv' | 'soft',
  removedIndexes: readonly number[],
): ChatCompletionRequest {
  if (format === 'text') {
    const texts = new Map(
      condensed.parts.map((part) => [
        part.index,
        part.pieces.map((piece) => (piece.format === 'text' ? piece.text : '')).join(' '),
      ]),
    );
    return {
      ...request,
      messages: request.messages.map((message, index) => {
        const text = texts.get(index);
        return text === undefined ? message : { ...message, content: text };
      }),
    };
  }
  const piece = condensed.parts[0]?.pieces[0];
  if (piece === undefined || piece.format === 'text') {
    throw new CondenseFailure('invalid_response', `The subnet returned no ${format} payload.`);
  }
  const removed = new Set(removedIndexes);
  const messages = request.messages.filter((_, index) => !removed.has(index));
  if (messages.length === 0) {
    throw new CondenseFailure('too_long', 'Condensing would leave no message to send.', {
      details: 'keep the last user turn (--proxy.keep-last-user) with the kv or soft format',
    });
  }
  return { ...request, messages, signal_condensed: piece.payload };
}

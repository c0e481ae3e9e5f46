import { z } from 'zod';
import { ChatMessageSchema } from './ChatMessage';
import { SamplingFields } from './SamplingFields';

/**
 * `POST /v1/chat/completions`. Fields we do not read pass through (`.loose()`), so a proxied
 * request reaches the upstream whole; `signal_condensed` is our extension, read by `serve`.
 */
export const ChatCompletionRequestSchema = z
  .looseObject({
    ...SamplingFields,
    messages: z
      .array(ChatMessageSchema, { error: 'messages must be an array of messages' })
      .min(1, 'messages must hold at least one message'),
    max_completion_tokens: z.int().positive().nullable().optional(),
    signal_condensed: z.unknown().optional(),
  })
  .refine((body) => !(body.stream_options && body.stream !== true), {
    path: ['stream_options'],
    message: 'stream_options is only allowed when stream is true',
  });

export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

import { z } from 'zod';

/** One part of an array-form message content; only text parts carry text we can read. */
export const ContentPartSchema = z.looseObject({
  type: z.string({ error: 'every content part needs a string "type"' }),
  text: z.string().optional(),
});

export type ContentPart = z.infer<typeof ContentPartSchema>;

/**
 * A chat message as OpenAI takes it: `content` is a string, an array of parts, or null (an
 * assistant turn that only calls tools). Unknown fields (`name`, `tool_calls`, …) are kept,
 * so the proxy forwards them untouched.
 */
export const ChatMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function'], {
    error: 'role must be one of system, developer, user, assistant, tool, function',
  }),
  content: z
    .union([z.string(), z.array(ContentPartSchema)], {
      error: 'content must be a string or an array of content parts',
    })
    .nullable()
    .optional(),
});

export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** The text of a message: its string content, or its text parts joined; undefined when it has non-text parts. */
export function messageText(message: ChatMessage): string | undefined {
  const { content } = message;
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const part of content) {
    if (part.type !== 'text' || typeof part.text !== 'string') return undefined;
    texts.push(part.text);
  }
  return texts.join('');
}

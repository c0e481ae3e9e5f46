import { z } from 'zod';

/** One turn of a conversation, as chat templates receive it. */
export const ChatMessageSchema = z.looseObject({
  role: z.string().min(1),
  content: z.string(),
});

export type ChatMessage = z.infer<typeof ChatMessageSchema>;

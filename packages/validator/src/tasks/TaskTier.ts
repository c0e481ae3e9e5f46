import { z } from 'zod';

/** The part of a tier that task synthesis needs; core's full tier config is assignable to it. */
export const TaskTierSchema = z.object({
  name: z.string().min(1),
  maxContextChars: z.number().int().positive(),
});
export type TaskTier = z.infer<typeof TaskTierSchema>;

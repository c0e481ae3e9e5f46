import { z } from 'zod';
import { SamplingFields } from './SamplingFields';

const tokenIds = z.array(z.int().nonnegative());

/** `POST /v1/completions` (legacy text completions): a prompt as text or token ids. */
export const CompletionRequestSchema = z
  .looseObject({
    ...SamplingFields,
    prompt: z.union([z.string(), z.array(z.string()), tokenIds, z.array(tokenIds)], {
      error: 'prompt must be a string, an array of strings, or token ids',
    }),
    echo: z.boolean().nullable().optional(),
    suffix: z.string().nullable().optional(),
    logprobs: z.int().nonnegative().nullable().optional(),
    best_of: z.int().positive().nullable().optional(),
    signal_condensed: z.unknown().optional(),
  })
  .refine((body) => !(body.stream_options && body.stream !== true), {
    path: ['stream_options'],
    message: 'stream_options is only allowed when stream is true',
  });

export type CompletionRequest = z.infer<typeof CompletionRequestSchema>;

import { Inference, type InferenceSynapse } from '@signal/core';
import { z } from 'zod';
import { ClientError } from '../errors/ClientError';
import type { InferenceRequest } from './InferenceRequest';

/** The wire synapse for `request` (always streaming); a bad field is CLIENT_INVALID_REQUEST. */
export function inferenceSynapse(request: InferenceRequest): InferenceSynapse {
  const parsed = Inference.schema.safeParse({
    model: request.model,
    prompt: request.prompt,
    adapter: request.adapter ?? null,
    condensed: request.condensed?.toPayload() ?? null,
    max_new_tokens: request.maxNewTokens,
    temperature: request.temperature,
    top_k: request.topK,
    top_p: request.topP,
    seed: request.seed ?? null,
    stop: request.stop,
    stream: true,
  });
  if (!parsed.success) {
    throw new ClientError('CLIENT_INVALID_REQUEST', 'Invalid Inference request.', {
      details: z.prettifyError(parsed.error),
      cause: parsed.error,
    });
  }
  return parsed.data;
}

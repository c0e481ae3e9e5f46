import type { z } from 'zod';
import { ApiError } from './ApiError';
import { firstIssue } from './zodParam';

/** Checks a parsed JSON body against a request schema; a bad one is a 400 naming the field. */
export function parseRequest<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
): z.infer<Schema> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('API_INVALID_REQUEST', 'The request body must be a JSON object.', {
      openaiCode: 'invalid_request_body',
    });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const { param, message } = firstIssue(parsed.error);
    throw new ApiError('API_INVALID_REQUEST', `Invalid request: ${message}.`, {
      param,
      openaiCode: 'invalid_value',
    });
  }
  return parsed.data;
}

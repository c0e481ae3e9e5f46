import type { ServerResponse } from 'node:http';
import type { ApiError } from '../openai/ApiError';

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

/** An ApiError in OpenAI's shape, with `Retry-After` (429, 503) and `WWW-Authenticate` (401). */
export function sendApiError(
  response: ServerResponse,
  error: ApiError,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendJson(response, error.status, error.toBody(), {
    ...headers,
    ...(error.retryAfterSeconds === undefined
      ? {}
      : { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterSeconds))) }),
    ...(error.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
  });
}

import type { ServerResponse } from 'node:http';
import { isSignalError } from '@signal/core';

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** `{error: {code, message, details?, field?}}`; anything not ours is an opaque internal error. */
export function errorBody(error: unknown, field?: string): unknown {
  if (isSignalError(error)) {
    return {
      error: {
        code: error.code,
        message: error.shortMessage,
        ...(error.details ? { details: error.details } : {}),
        ...(field ? { field } : {}),
      },
    };
  }
  return { error: { code: 'GATEWAY_INTERNAL', message: 'Internal error.' } };
}

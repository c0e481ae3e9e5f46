import type { IncomingMessage } from 'node:http';
import { ApiError } from '../openai/ApiError';

function tooLarge(details: string): ApiError {
  return new ApiError('API_BODY_TOO_LARGE', 'The request body is too large.', {
    details,
    openaiCode: 'request_too_large',
  });
}

/**
 * Reads a JSON body of at most `maxBytes`: a declared length over the limit is refused
 * before a byte is read, and a body that grows past it is refused without being buffered.
 */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(`${declared} bytes; the limit is ${maxBytes}.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge(`More than ${maxBytes} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks, size).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ApiError('API_INVALID_REQUEST', 'The request body is not valid JSON.', {
      details: cause instanceof Error ? cause.message : String(cause),
      openaiCode: 'invalid_json',
      cause,
    });
  }
}

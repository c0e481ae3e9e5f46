import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors/GatewayError';

/** Reads and parses a JSON body of at most `maxBytes`, refusing more without buffering it. */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) {
    throw new GatewayError('GATEWAY_BODY_TOO_LARGE', 'The request body is too large.', {
      details: `${declared} bytes; the limit is ${maxBytes}`,
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      throw new GatewayError('GATEWAY_BODY_TOO_LARGE', 'The request body is too large.', {
        details: `more than ${maxBytes} bytes`,
      });
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks, size).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new GatewayError('GATEWAY_BAD_REQUEST', 'The request body is not valid JSON.', {
      details: cause instanceof Error ? cause.message : String(cause),
      field: 'body',
      cause,
    });
  }
}

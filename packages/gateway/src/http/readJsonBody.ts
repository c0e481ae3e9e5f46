import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors/GatewayError';

/**
 * Why a body stopped arriving: node:http's request timeout (it has answered 408 and dropped
 * the connection) or the client going away first.
 */
function brokenBody(request: IncomingMessage, received: number, cause: unknown): GatewayError {
  const reason = (request.socket.errored as NodeJS.ErrnoException | null)?.code;
  if (reason === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new GatewayError('GATEWAY_REQUEST_TIMEOUT', 'The request body did not arrive in time.', {
      details: `${received} bytes came`,
      cause,
    });
  }
  return new GatewayError('GATEWAY_CLIENT_CLOSED', 'The client closed the request.', {
    details: `after ${received} bytes of its body`,
    cause,
  });
}

/**
 * Reads and parses a JSON body of at most `maxBytes`, refusing more without buffering it. A
 * body cut off by the request timeout is GATEWAY_REQUEST_TIMEOUT (408), one its client
 * abandoned GATEWAY_CLIENT_CLOSED (499).
 */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) {
    throw new GatewayError('GATEWAY_BODY_TOO_LARGE', 'The request body is too large.', {
      details: `${declared} bytes; the limit is ${maxBytes}`,
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        throw new GatewayError('GATEWAY_BODY_TOO_LARGE', 'The request body is too large.', {
          details: `more than ${maxBytes} bytes`,
        });
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw brokenBody(request, size, error);
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

import type { IncomingMessage } from 'node:http';
import { AxonRefusal } from './AxonRefusal';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Why a body stopped arriving: node:http's request limit (it has answered 408 and dropped the
 * connection) or the client going away first.
 */
function brokenBody(request: IncomingMessage, received: number, cause: unknown): AxonRefusal {
  const reason = (request.socket.errored as NodeJS.ErrnoException | null)?.code;
  if (reason === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new AxonRefusal(
      408,
      `The request body did not arrive in time (${received} bytes came).`,
      {
        cause,
      },
    );
  }
  return new AxonRefusal(499, `Client closed the request after ${received} bytes of its body.`, {
    cause,
  });
}

/**
 * Reads the body as UTF-8 text, refusing with 413 as soon as it passes `maxBytes`
 * (before reading at all when Content-Length already says so) and with 400 when the
 * bytes are not UTF-8, which Python's `body.decode()` would also reject. A body cut off
 * by the axon's request timeout is a 408, one the client abandoned a 499.
 */
export async function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > maxBytes) {
    throw new AxonRefusal(
      413,
      `Request body of ${declared} bytes exceeds the limit of ${maxBytes}.`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > maxBytes) {
        throw new AxonRefusal(413, `Request body exceeds the limit of ${maxBytes} bytes.`);
      }
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof AxonRefusal) throw error;
    throw brokenBody(request, size, error);
  }
  try {
    return decoder.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
  } catch (cause) {
    throw new AxonRefusal(400, 'Request body is not valid UTF-8.', { cause });
  }
}

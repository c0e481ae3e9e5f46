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
export function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > maxBytes) {
    return Promise.reject(
      new AxonRefusal(413, `Request body of ${declared} bytes exceeds the limit of ${maxBytes}.`),
    );
  }
  // Listeners rather than `for await`: an async iterator and a promise per chunk cost a small
  // request more than reading it, and an axon reads thousands a second. They stay attached
  // once the body is read (the request ends with it); `settled` makes them inert.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) {
        settled = true;
        // As leaving a `for await` early would: the rest of the upload is not read.
        request.destroy();
        reject(new AxonRefusal(413, `Request body exceeds the limit of ${maxBytes} bytes.`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (settled) return;
      settled = true;
      try {
        resolve(decoder.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
      } catch (cause) {
        reject(new AxonRefusal(400, 'Request body is not valid UTF-8.', { cause }));
      }
    });
    request.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(brokenBody(request, size, error));
    });
    request.on('close', () => {
      if (settled) return;
      settled = true;
      reject(brokenBody(request, size, new Error('The request closed before its body ended.')));
    });
  });
}

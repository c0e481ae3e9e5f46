import type { IncomingMessage } from 'node:http';
import { AxonRefusal } from './AxonRefusal';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the body as UTF-8 text, refusing with 413 as soon as it passes `maxBytes`
 * (before reading at all when Content-Length already says so) and with 400 when the
 * bytes are not UTF-8, which Python's `body.decode()` would also reject.
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
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      throw new AxonRefusal(413, `Request body exceeds the limit of ${maxBytes} bytes.`);
    }
    chunks.push(buffer);
  }
  try {
    return decoder.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
  } catch (cause) {
    throw new AxonRefusal(400, 'Request body is not valid UTF-8.', { cause });
  }
}

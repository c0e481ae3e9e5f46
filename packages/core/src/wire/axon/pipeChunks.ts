import type { ServerResponse } from 'node:http';
import type { StreamChunk } from './AxonHandlers';
import { AxonRefusal } from './AxonRefusal';
import type { RequestAbort } from './RequestAbort';

/**
 * Writes a streaming handler's chunks verbatim, waiting on backpressure, and ends the
 * response when the chunks run out, the deadline passes or the client goes away. With
 * `exactBytes` (a body sent with Content-Length) a body cut short is destroyed rather than
 * ended, so the peer sees a truncated body instead of waiting for the rest.
 */
export async function pipeChunks(
  response: ServerResponse,
  chunks: AsyncIterable<StreamChunk>,
  abort: RequestAbort,
  deadline: number,
  exactBytes?: number,
): Promise<void> {
  const timer = setTimeout(
    () => abort.abort(new AxonRefusal(408, 'Stream passed its deadline.')),
    Math.max(0, deadline - Date.now()),
  );
  let written = 0;
  try {
    for await (const chunk of chunks) {
      if (abort.aborted) break;
      written += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      if (!response.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            response.off('drain', done);
            abort.signal.removeEventListener('abort', done);
            resolve();
          };
          response.on('drain', done);
          abort.signal.addEventListener('abort', done);
        });
      }
    }
  } finally {
    clearTimeout(timer);
    if (exactBytes !== undefined && written !== exactBytes) response.destroy();
    else response.end();
  }
}

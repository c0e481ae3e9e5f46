import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { ApiError } from '../openai/ApiError';
import type { UpstreamResponse } from './UpstreamClient';
import { upstreamError } from './UpstreamClient';

/** Headers of the upstream's answer that reach the caller (rate-limit and retry hints, ids). */
const RELAYED_HEADERS = [
  'content-type',
  'retry-after',
  'retry-after-ms',
  'x-should-retry',
  'x-request-id',
  'openai-processing-ms',
  'openai-version',
] as const;

/** Largest error or JSON answer read from the upstream. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export function relayedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of RELAYED_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-ratelimit-') && typeof value === 'string') out[name] = value;
  }
  return out;
}

export function isEventStream(response: UpstreamResponse): boolean {
  const type = response.headers['content-type'];
  return typeof type === 'string' && type.startsWith('text/event-stream');
}

/** Reads a whole (non-streaming) upstream body. */
export async function readUpstreamBody(response: UpstreamResponse): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BUFFERED_BYTES) {
      response.body.destroy();
      throw new ApiError('API_UPSTREAM_FAILED', 'The upstream answer is too large.', {
        details: `more than ${MAX_BUFFERED_BYTES} bytes`,
        openaiCode: 'upstream_invalid_response',
      });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

/**
 * An upstream error answer as the caller gets it: the same status, and the same body when it
 * is already OpenAI's `{error: {...}}`; anything else (an HTML page from a load balancer) is
 * wrapped in that shape with the text as its message.
 */
export function upstreamErrorBody(status: number, body: Buffer): Buffer {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof (parsed as { error?: unknown }).error === 'object' &&
      (parsed as { error: unknown }).error !== null
    ) {
      return body;
    }
  } catch {
    // Not JSON: wrapped below.
  }
  const text = body.toString('utf8').slice(0, 500).trim();
  return Buffer.from(
    JSON.stringify({
      error: {
        message: `The upstream answered ${status}${text ? `: ${text}` : '.'}`,
        type: status >= 500 ? 'server_error' : 'invalid_request_error',
        param: null,
        code: `upstream_${status}`,
      },
    }),
  );
}

/**
 * Sends a buffered upstream answer to the caller: its status, relayed headers and our own,
 * with non-2xx bodies put in OpenAI's error shape.
 */
export function sendBuffered(
  response: ServerResponse,
  upstream: UpstreamResponse,
  body: Buffer,
  ownHeaders: Record<string, string>,
): void {
  const ok = upstream.status >= 200 && upstream.status < 300;
  const out = ok ? body : upstreamErrorBody(upstream.status, body);
  response.writeHead(upstream.status, {
    ...relayedHeaders(upstream.headers),
    ...(ok ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': String(out.length),
    ...ownHeaders,
  });
  response.end(out);
}

/**
 * Streams an upstream event stream to the caller as it arrives, whole events at a time with
 * backpressure (a chunk's trailing half event waits for its end). If the upstream breaks
 * off, the half event is dropped and the caller gets one `data: {"error": …}` event and the
 * end of the stream: the official clients then throw instead of waiting or ending quietly.
 */
export async function relayStream(
  response: ServerResponse,
  upstream: UpstreamResponse,
  ownHeaders: Record<string, string>,
  baseUrl: string,
): Promise<void> {
  response.writeHead(upstream.status, {
    ...relayedHeaders(upstream.headers),
    'cache-control': 'no-cache',
    ...ownHeaders,
  });
  response.flushHeaders();
  let pending: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of upstream.body) {
      pending =
        pending.length === 0 ? (chunk as Buffer) : Buffer.concat([pending, chunk as Buffer]);
      const end = lastEventEnd(pending);
      if (end === 0) continue;
      const events = pending.subarray(0, end);
      pending = pending.subarray(end);
      if (!response.write(events)) await drained(response);
      if (response.destroyed) return;
    }
    if (pending.length > 0) response.write(pending);
  } catch (error) {
    if (response.destroyed) return;
    const failure = new ApiError('API_UPSTREAM_FAILED', 'The upstream broke off its answer.', {
      details: upstreamError(error, baseUrl).details,
      openaiCode: 'upstream_stream_broken',
      cause: error,
    });
    response.write(`data: ${JSON.stringify(failure.toBody())}\n\n`);
  }
  response.end();
}

/** Where the last complete event of `buffer` ends (after its blank line), or 0. */
function lastEventEnd(buffer: Buffer): number {
  const lf = buffer.lastIndexOf('\n\n');
  const crlf = buffer.lastIndexOf('\r\n\r\n');
  return Math.max(lf < 0 ? 0 : lf + 2, crlf < 0 ? 0 : crlf + 4);
}

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const settle = () => {
      response.off('drain', settle);
      response.off('close', settle);
      resolve();
    };
    response.on('drain', settle);
    response.on('close', settle);
  });
}

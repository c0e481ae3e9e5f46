import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ProxyMetrics } from '../metrics/ProxyMetrics';
import { ApiError } from '../openai/ApiError';
import { isEventStream, readUpstreamBody, relayStream, sendBuffered } from './relayResponse';
import type { UpstreamClient, UpstreamResponse } from './UpstreamClient';

export interface ForwardContext {
  upstream: UpstreamClient;
  request: IncomingMessage;
  response: ServerResponse;
  /** The client's disconnect: it aborts the upstream request. */
  signal: AbortSignal;
  /** The caller's header when it is passed through; undefined sends the proxy's own key. */
  authorization: string | undefined;
  metrics: ProxyMetrics;
  logger: Logger;
}

export interface ForwardParameters {
  method: 'GET' | 'POST';
  path: string;
  body: unknown;
  /** The request as the caller sent it, when `body` is a rewrite of it. */
  original: unknown;
  stream: boolean;
  /** Our own headers on the answer (`x-signal-…`). */
  headers: Record<string, string>;
}

/** Statuses with which an upstream may be refusing our rewrite rather than the caller's request. */
const REWRITE_REFUSED = new Set([400, 413, 422]);

/**
 * Sends a request upstream and relays the answer: streamed as it arrives, or buffered. An
 * upstream that refuses a rewritten request as malformed gets the original instead, before
 * anything reaches the caller, so a rewrite can never turn a good request into a bad one.
 */
export async function forwardRequest(
  context: ForwardContext,
  parameters: ForwardParameters,
): Promise<void> {
  const { upstream, response, logger } = context;
  let sent = await send(context, parameters.method, parameters.path, parameters.body);
  if (parameters.original !== undefined && REWRITE_REFUSED.has(sent.status)) {
    const refusal = (await readUpstreamBody(sent)).toString('utf8').slice(0, 500);
    logger.warn(
      { status: sent.status, refusal },
      'proxy: the upstream refused the condensed request; forwarding the request as sent',
    );
    context.metrics.fallbacks.inc({ reason: 'upstream_refused' });
    sent = await send(context, parameters.method, parameters.path, parameters.original);
    parameters = {
      ...parameters,
      headers: { ...parameters.headers, 'x-signal-condense': 'fallback' },
    };
  }
  if (sent.status >= 200 && sent.status < 300 && isEventStream(sent)) {
    await relayStream(response, sent, parameters.headers, upstream.baseUrl);
    return;
  }
  let body: Buffer;
  try {
    body = await readUpstreamBody(sent);
  } catch (error) {
    throw error instanceof ApiError ? error : brokenOff(error, upstream.baseUrl);
  }
  sendBuffered(response, sent, body, parameters.headers);
}

async function send(
  context: ForwardContext,
  method: 'GET' | 'POST',
  path: string,
  body: unknown,
): Promise<UpstreamResponse> {
  try {
    return await context.upstream.send({
      method,
      path,
      body,
      callerHeaders: context.request.headers,
      authorization: context.authorization,
      signal: context.signal,
    });
  } catch (error) {
    if (error instanceof ApiError)
      context.metrics.upstreamFailures.inc({ code: error.openaiCode ?? error.code });
    throw error;
  }
}

function brokenOff(error: unknown, baseUrl: string): ApiError {
  return new ApiError('API_UPSTREAM_FAILED', 'The upstream broke off its answer.', {
    details: `${baseUrl}: ${error instanceof Error ? error.message : String(error)}`,
    openaiCode: 'upstream_stream_broken',
    cause: error,
  });
}

import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { Agent, errors, request } from 'undici';
import { ApiError } from '../openai/ApiError';

export interface UpstreamClientOptions {
  /** The upstream's OpenAI base URL, as its own clients take it (`http://host:port/v1`). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` when the caller's own header is not passed through. */
  apiKey?: string | undefined;
  /** Longest wait for the upstream's status line, and between two chunks of its body. */
  timeoutMs?: number;
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Readable;
}

/** Headers of the caller's request that the upstream should see too. */
const FORWARDED_REQUEST_HEADERS = ['openai-organization', 'openai-project', 'user-agent'] as const;

/**
 * Keep-alive HTTP to one OpenAI-compatible upstream over undici's pool. Transport failures
 * become ApiErrors in OpenAI's shape: unreachable is a 502, silence past the timeout a 504.
 */
export class UpstreamClient {
  readonly baseUrl: string;
  private readonly agent: Agent;
  private readonly apiKey: string | undefined;

  constructor(options: UpstreamClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    const timeout = options.timeoutMs ?? 600_000;
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      connections: 256,
    });
  }

  /**
   * Sends `method path` (a path below the base URL, like `/chat/completions`) with a JSON
   * body. `authorization` is the caller's header when it is passed through, else our key.
   */
  async send(parameters: {
    method: 'GET' | 'POST';
    path: string;
    body?: unknown;
    callerHeaders: IncomingHttpHeaders;
    authorization: string | undefined;
    signal: AbortSignal;
  }): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { accept: 'application/json, text/event-stream' };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = parameters.callerHeaders[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const authorization =
      parameters.authorization ?? (this.apiKey ? `Bearer ${this.apiKey}` : undefined);
    if (authorization !== undefined) headers.authorization = authorization;
    let body: string | undefined;
    if (parameters.body !== undefined) {
      body = JSON.stringify(parameters.body);
      headers['content-type'] = 'application/json';
    }
    try {
      const response = await request(`${this.baseUrl}${parameters.path}`, {
        method: parameters.method,
        headers,
        body,
        signal: parameters.signal,
        dispatcher: this.agent,
      });
      return { status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      throw upstreamError(error, this.baseUrl);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** A transport failure talking to the upstream, as the ApiError the caller gets. */
export function upstreamError(error: unknown, baseUrl: string): ApiError {
  if (error instanceof ApiError) return error;
  const details = error instanceof Error ? error.message : String(error);
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
    return new ApiError('API_UPSTREAM_TIMEOUT', 'The upstream did not answer in time.', {
      details: `${baseUrl}: ${details}`,
      openaiCode: 'upstream_timeout',
      cause: error,
    });
  }
  return new ApiError('API_UPSTREAM_FAILED', 'The upstream could not be reached.', {
    details: `${baseUrl}: ${details}`,
    openaiCode: 'upstream_unreachable',
    cause: error,
  });
}

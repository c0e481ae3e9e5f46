import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback OpenAI-compatible upstream (a boundary the proxy does not own: any vendor's
 * server). It answers like one: Bearer auth refused with a 401 in OpenAI's error shape,
 * `chat.completion` and `chat.completion.chunk` objects, `data: [DONE]`, usage only when
 * `stream_options.include_usage` asks for it in a stream. Each request's body and headers
 * are recorded; `behaviour` makes it fail the ways real upstreams do.
 */
export type UpstreamBehaviour =
  | { kind: 'answer' }
  | {
      kind: 'error';
      status: number;
      body: string;
      contentType?: string;
      headers?: Record<string, string>;
    }
  /** Refuses any request whose messages differ from those it was first sent (an upstream that chokes on a rewrite). */
  | { kind: 'refuse-rewrite'; marker: string }
  /** Sends two chunks of a stream, then its process "dies": the socket is destroyed. */
  | { kind: 'die-mid-stream' }
  /** Never answers; records when the caller goes away. */
  | { kind: 'hang' };

export interface RecordedRequest {
  path: string;
  method: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown> | undefined;
}

export interface OpenAIUpstream {
  url: string;
  requests: RecordedRequest[];
  behaviour: UpstreamBehaviour;
  /** Resolves when a hanging request's client disconnects. */
  aborted: Promise<void>;
  close(): Promise<void>;
}

export const UPSTREAM_KEY = 'sk-upstream-secret';

/** What the fake model answers: the number of characters of every message, so tests can tell what it was sent. */
export function answerFor(body: Record<string, unknown>): string {
  const messages = (body.messages as { content: string }[] | undefined) ?? [];
  return `saw ${messages.map((m) => String(m.content).length).join('+')} chars`;
}

function json(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(text);
}

export async function startOpenAIUpstream(
  behaviour: UpstreamBehaviour = { kind: 'answer' },
  options: { requireKey?: boolean } = {},
): Promise<OpenAIUpstream> {
  const requests: RecordedRequest[] = [];
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
  });
  const state = { behaviour };
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    const path = request.url ?? '/';
    requests.push({ path, method: request.method ?? '', headers: request.headers, body });
    if (options.requireKey && request.headers.authorization !== `Bearer ${UPSTREAM_KEY}`) {
      return json(response, 401, {
        error: {
          message: 'Incorrect API key provided.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
    }
    const current = state.behaviour;
    if (current.kind === 'error') {
      response.writeHead(current.status, {
        'content-type': current.contentType ?? 'application/json',
        ...current.headers,
      });
      return response.end(current.body);
    }
    if (current.kind === 'hang') {
      response.on('close', () => onAbort());
      return;
    }
    if (path === '/v1/models') {
      return json(response, 200, {
        object: 'list',
        data: [{ id: 'upstream-model', object: 'model', created: 1, owned_by: 'vendor' }],
      });
    }
    if (current.kind === 'refuse-rewrite' && !text.includes(current.marker)) {
      return json(response, 400, {
        error: {
          message: 'bad content',
          type: 'invalid_request_error',
          param: 'messages',
          code: null,
        },
      });
    }
    const content = answerFor(body ?? {});
    const promptTokens = Math.ceil(text.length / 4);
    const identity = { id: 'chatcmpl-up', created: 1_700_000_000, model: String(body?.model) };
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: 3,
      total_tokens: promptTokens + 3,
    };
    if (path === '/v1/completions') {
      return json(response, 200, {
        ...identity,
        id: 'cmpl-up',
        object: 'text_completion',
        choices: [{ index: 0, text: content, logprobs: null, finish_reason: 'stop' }],
        usage,
      });
    }
    if (body?.stream !== true) {
      return json(response, 200, {
        ...identity,
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content, refusal: null },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage,
      });
    }
    const includeUsage =
      (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const chunk = (delta: object, finish: string | null) => ({
      ...identity,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    const event = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
    event(chunk({ role: 'assistant', content: '' }, null));
    const words = content.split(' ');
    if (current.kind === 'die-mid-stream') {
      event(chunk({ content: words[0] }, null));
      // Half an event, then the process is gone.
      response.write('data: {"id":"chatcmpl-up","obj');
      setImmediate(() => response.socket?.destroy());
      return;
    }
    for (const [i, word] of words.entries()) {
      event(chunk({ content: i === 0 ? word : ` ${word}` }, null));
    }
    event(chunk({}, 'stop'));
    if (includeUsage) event({ ...identity, object: 'chat.completion.chunk', choices: [], usage });
    response.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    get behaviour() {
      return state.behaviour;
    },
    set behaviour(next: UpstreamBehaviour) {
      state.behaviour = next;
    },
    aborted,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * A loopback stand-in for the validator's gateway (a boundary the client does not own): it
 * checks the bearer key and the request body the way the real `POST /v1/condense` does, and
 * answers with whatever the test scripts (`answer`), so every client path can be driven.
 */
export const CondenseBodySchema = z.object({
  context: z.string().min(1),
  tier: z.string().min(1).optional(),
  target_model: z.string().min(1).optional(),
  format: z.enum(['kv', 'soft', 'text']).optional(),
});

export type CondenseBody = z.infer<typeof CondenseBodySchema>;

export interface ScriptedAnswer {
  status: number;
  body: unknown;
  /** Milliseconds to wait before answering. */
  delayMs?: number;
  /** Send `body` as is (a string) instead of JSON-encoding it. */
  raw?: boolean;
}

export interface FakeGateway {
  url: string;
  apiKey: string;
  /** Requests that reached the handler (after auth and body checks). */
  requests: CondenseBody[];
  /** Every request received, including refused ones. */
  hits: number;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: unknown, raw = false): void {
  const text = raw ? String(body) : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeGateway(
  answer: (body: CondenseBody, index: number) => ScriptedAnswer,
  apiKey = 'sk-test-key',
): Promise<FakeGateway> {
  const state = { requests: [] as CondenseBody[], hits: 0 };
  const server = createServer(async (request, response) => {
    state.hits++;
    if (request.method !== 'POST' || request.url !== '/v1/condense') {
      return send(response, 404, { error: { code: 'NOT_FOUND', message: 'no such route' } });
    }
    if (request.headers.authorization !== `Bearer ${apiKey}`) {
      return send(response, 401, { error: { code: 'UNAUTHORIZED', message: 'bad API key' } });
    }
    let body: CondenseBody;
    try {
      body = CondenseBodySchema.parse(JSON.parse(await readBody(request)));
    } catch (error) {
      return send(response, 400, { error: { code: 'BAD_REQUEST', message: String(error) } });
    }
    const index = state.requests.length;
    state.requests.push(body);
    const scripted = answer(body, index);
    if (scripted.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs).unref());
    if (!response.destroyed) send(response, scripted.status, scripted.body, scripted.raw);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    get requests() {
      return state.requests;
    },
    get hits() {
      return state.hits;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

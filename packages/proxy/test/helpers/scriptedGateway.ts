import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback validator gateway that answers `POST /v1/condense` from a script, for driving
 * every subnet-side path of the proxy (the real gateway is exercised end to end in the cli
 * tests). The default script is a plain compressor: it keeps every other word.
 */
export interface CondenseCall {
  context: string;
  tier?: string;
  target_model?: string;
  format?: string;
}

export interface GatewayAnswer {
  status: number;
  body: unknown;
  delayMs?: number;
}

export interface ScriptedGateway {
  url: string;
  apiKey: string;
  calls: CondenseCall[];
  close(): Promise<void>;
}

export const MODEL = 'test/model';

const words = (text: string) => text.split(/\s+/).filter((w) => w.length > 0);

/** Keeps every other word, counting one token per word as the miner's tokenizer would. */
export function everyOtherWord(call: CondenseCall): GatewayAnswer {
  const all = words(call.context);
  const kept = all.filter((_, i) => i % 2 === 0);
  return {
    status: 200,
    body: {
      payload: {
        format: 'text',
        model: call.target_model ?? MODEL,
        text: kept.join(' '),
        original_tokens: all.length,
        condensed_tokens: Math.max(1, kept.length),
      },
      miner_uid: 1,
      latency_ms: 3,
    },
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

export async function startScriptedGateway(
  answer: (call: CondenseCall, index: number) => GatewayAnswer = everyOtherWord,
): Promise<ScriptedGateway> {
  const apiKey = 'sig_000000000000_gatewaykeygatewaykeygatewaykeygatewaykeygatew';
  const calls: CondenseCall[] = [];
  const server = createServer(async (request, response) => {
    if (request.method !== 'POST' || request.url !== '/v1/condense') {
      return send(response, 404, { error: { code: 'GATEWAY_NOT_FOUND', message: 'no route' } });
    }
    if (request.headers.authorization !== `Bearer ${apiKey}`) {
      return send(response, 401, { error: { code: 'GATEWAY_KEY_INVALID', message: 'bad key' } });
    }
    const call = JSON.parse(await readBody(request)) as CondenseCall;
    const index = calls.length;
    calls.push(call);
    const scripted = answer(call, index);
    if (scripted.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs).unref());
    if (!response.destroyed) send(response, scripted.status, scripted.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

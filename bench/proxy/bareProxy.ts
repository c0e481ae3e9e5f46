/**
 * The least any Node.js proxy does per request, as the bench's floor for `signal proxy`:
 * read the body, send it upstream over a keep-alive undici pool, buffer the answer and
 * write it back. No validation, auth, metrics or condensing. Run as its own process:
 *
 *   tsx bench/proxy/bareProxy.ts <upstream base URL>
 *
 * and it prints `listening on <base URL>` on stderr, as `signal proxy` does.
 */
import { createServer } from 'node:http';
import { Agent, request } from 'undici';

const upstream = process.argv[2]!.replace(/\/+$/, '');
const agent = new Agent({ connections: 256, keepAliveTimeout: 30_000 });

const server = createServer(async (incoming, outgoing) => {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const path = (incoming.url ?? '/').replace(/^\/v1/, '');
  const answer = await request(`${upstream}${path}`, {
    method: incoming.method as 'POST',
    headers: { 'content-type': 'application/json' },
    body: Buffer.concat(chunks),
    dispatcher: agent,
  });
  const body = Buffer.from(await answer.body.arrayBuffer());
  outgoing.writeHead(answer.statusCode, {
    'content-type': String(answer.headers['content-type'] ?? 'application/json'),
    'content-length': String(body.length),
  });
  outgoing.end(body);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  process.stderr.write(`listening on http://127.0.0.1:${address.port}/v1\n`);
});

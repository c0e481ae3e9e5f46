/**
 * What `SignalClient.condense` costs on top of the bare request, through a loopback gateway
 * answering a float16 KV payload of Mistral-7B geometry (32 layers, 8 KV heads, head_dim 128):
 * the baseline is node's fetch + JSON.parse of the same answer; the client adds the tier and
 * payload validation and decodes every tensor into Float32Array views. Prints JSON.
 *
 *   npx tsx bench/client/gatewayCondense.ts [kept=64] [iterations=10]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SignalClient } from '../../packages/client-sdk/src/index';
import { encodeTensor, loadTiers } from '../../packages/core/src/index';

const kept = Number(process.argv[2] ?? 64);
const iterations = Number(process.argv[3] ?? 10);
const MODEL = 'mistralai/Mistral-7B-Instruct-v0.2';
const shape = [1, 8, kept, 128];
const tensor = encodeTensor({
  dtype: 'float16',
  shape,
  data: Float32Array.from({ length: 8 * kept * 128 }, (_, i) => Math.sin(i) * 0.5),
});
const body = JSON.stringify({
  payload: {
    format: 'kv',
    model: MODEL,
    adapter: null,
    original_tokens: kept * 4,
    condensed_tokens: kept,
    original_length: kept * 4,
    kept,
    layers: Array.from({ length: 32 }, () => ({ key: tensor, value: tensor })),
  },
  miner_uid: 1,
  latency_ms: 1,
});

const tiers = loadTiers([
  {
    name: 'research',
    maxContextChars: 2_500,
    incentive: 1,
    supportingModels: [MODEL],
    timeoutSeconds: 30,
    requestsPerEpoch: 1,
    minCondensedTokens: 1,
    maxCondensedTokens: 4_096,
    minCompressionRate: 0.05,
    maxCompressionRate: 1,
    alpha: 0.1,
    maxPayloadBytes: 512 * 1024 * 1024,
  },
]);
const request = JSON.stringify({ context: 'x'.repeat(2_000), tier: 'research' });

async function bare(url: string): Promise<void> {
  const response = await fetch(`${url}/v1/condense`, {
    method: 'POST',
    headers: { authorization: 'Bearer bench', 'content-type': 'application/json' },
    body: request,
  });
  JSON.parse(await response.text());
}

async function viaClient(client: SignalClient): Promise<void> {
  await client.condense('x'.repeat(2_000), { format: 'kv' });
}

const median = (times: number[]) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;

/** Median milliseconds of each run, alternating them so machine noise hits both alike. */
async function measure(runs: ReadonlyArray<() => Promise<void>>): Promise<number[]> {
  for (const run of runs) await run();
  const times = runs.map((): number[] => []);
  for (let i = 0; i < iterations; i++) {
    for (const [index, run] of runs.entries()) {
      const started = performance.now();
      await run();
      times[index]!.push(performance.now() - started);
    }
  }
  return times.map(median);
}

async function main(): Promise<void> {
  const server = createServer((incoming, response) => {
    incoming.resume();
    incoming.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new SignalClient({ gateway: { url, apiKey: 'bench' }, tiers });
  const [bareMs, clientMs] = (await measure([() => bare(url), () => viaClient(client)])) as [
    number,
    number,
  ];
  await client.close();
  server.close();
  console.log(
    JSON.stringify({
      bench: 'client/gatewayCondense',
      kept,
      iterations,
      response_mib: +(Buffer.byteLength(body) / 2 ** 20).toFixed(2),
      baseline_fetch_json_ms: +bareMs.toFixed(2),
      signal_client_ms: +clientMs.toFixed(2),
      ratio: +(clientMs / bareMs).toFixed(3),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

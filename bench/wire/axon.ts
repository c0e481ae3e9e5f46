/**
 * Axon throughput, with sr25519 verification of every request and a small synapse, at 64
 * concurrent keep-alive connections on loopback, against a bare node:http JSON echo
 * server fed the very same request bytes in the same run. Then the tensor codec's
 * encode/decode speed on a 16 MiB float16 tensor against plain base64 of the same bytes.
 * Prints JSON.
 *
 *   npx tsx bench/wire/axon.ts [seconds-per-side=3]
 *
 * Requests are signed before the clock starts (one uuid per connection, increasing
 * nonces), so the numbers measure the server, not the client's signing. The load runs in
 * a worker thread with its own event loop.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import {
  Axon,
  bodyHash,
  createSr25519Signer,
  DENDRITE_BODY_STYLE,
  decodeTensor,
  encodeSynapseBody,
  encodeSynapseHeaders,
  encodeTensor,
  inputObjectsOf,
  py,
  requestSignatureMessage,
  type Signer,
  type SynapseSpec,
  signText,
  verifyText,
} from '../../packages/core/src/index';

interface PreparedRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

interface LoadJob {
  readonly port: number;
  readonly lanes: PreparedRequest[][];
  readonly durationMs: number;
}

interface LoadReport {
  readonly completed: number;
  readonly elapsedMs: number;
  readonly statuses: Record<string, number>;
  readonly latenciesMs: number[];
}

// zod is a dependency of @signal/core, not of the repository root: resolve it from there.
const { z } = createRequire(new URL('../../packages/core/package.json', import.meta.url))(
  'zod',
) as typeof import('zod');

const seconds = Number(process.argv[2] ?? 3);
const LANES = 64;

const Ping = {
  name: 'Ping',
  schema: z.object({ text: z.string(), reply: z.string().nullable().default(null) }),
  fields: [
    ['text', py.str],
    ['reply', py.optional(py.str)],
  ],
  requiredFields: ['text'],
  requiredHashFields: ['text'],
  responseFields: ['reply'],
  streaming: false,
} satisfies SynapseSpec;

async function prepare(
  signer: Signer,
  axonHotkey: string,
  port: number,
  lanes: number,
  perLane: number,
): Promise<PreparedRequest[][]> {
  const values = { text: 'a small synapse: hello from the benchmark', reply: null };
  const hash = bodyHash(Ping, values);
  const axon = { ip: '127.0.0.1', port, hotkey: axonHotkey };
  let nonce = BigInt(Date.now()) * 1_000_000n;
  const out: PreparedRequest[][] = [];
  for (let lane = 0; lane < lanes; lane++) {
    const uuid = `bench-lane-${lane}-${Math.random().toString(36).slice(2)}`;
    const requests: PreparedRequest[] = [];
    for (let i = 0; i < perLane; i++) {
      nonce += 1n;
      const message = requestSignatureMessage({
        nonce,
        dendriteHotkey: signer.address,
        axonHotkey,
        uuid,
        bodyHash: hash,
      });
      const dendrite = {
        ip: '127.0.0.1',
        version: 10_002_000,
        nonce,
        uuid,
        hotkey: signer.address,
        signature: await signText(signer, message),
      };
      const body = encodeSynapseBody(
        Ping,
        values,
        {
          name: 'Ping',
          timeout: 12,
          totalSize: 0,
          headerSize: 0,
          dendrite,
          axon,
          computedBodyHash: '',
        },
        DENDRITE_BODY_STYLE,
      );
      const headers = encodeSynapseHeaders({
        name: 'Ping',
        timeout: 12,
        axon,
        dendrite,
        inputObjects: inputObjectsOf(Ping, values),
        totalSize: Buffer.byteLength(body),
        computedBodyHash: hash,
      });
      requests.push({ path: '/Ping', headers, body });
    }
    out.push(requests);
  }
  return out;
}

function load(job: LoadJob): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./loadWorker.mjs', import.meta.url), { workerData: job });
    worker.once('message', (report: LoadReport) => {
      void worker.terminate();
      resolve(report);
    });
    worker.once('error', reject);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summarise(report: LoadReport) {
  const sorted = [...report.latenciesMs].sort((a, b) => a - b);
  return {
    requests: report.completed,
    requests_per_s: Math.round((report.completed / report.elapsedMs) * 1000),
    p50_ms: Number(percentile(sorted, 50).toFixed(2)),
    p99_ms: Number(percentile(sorted, 99).toFixed(2)),
    statuses: report.statuses,
  };
}

async function echoServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type Side = 'axon' | 'axon_unsigned_responses' | 'baseline_node_http_echo';

/** Servers stay up for the whole run; each round re-signs fresh requests for the axons. */
async function servers(miner: Signer) {
  const start = async (signResponses: boolean) => {
    const axon = new Axon({ signer: miner, concurrency: 64, maxQueue: 1024, signResponses });
    axon.attach(Ping, { forward: (synapse) => ({ ...synapse, reply: synapse.text }) });
    return { axon, port: (await axon.listen()).port };
  };
  const signed = await start(true);
  const unsigned = await start(false);
  const echo = await echoServer();
  return {
    ports: {
      axon: signed.port,
      axon_unsigned_responses: unsigned.port,
      baseline_node_http_echo: echo.port,
    } as Record<Side, number>,
    close: async () => {
      await signed.axon.close();
      await unsigned.axon.close();
      await echo.close();
    },
  };
}

/** The per-request crypto floor, measured here: one sr25519 verify (and one sign). */
async function cryptoFloor(signer: Signer) {
  const signature = await signText(signer, 'warm-up');
  const rounds = 300;
  let t0 = performance.now();
  for (let i = 0; i < rounds; i++) verifyText('warm-up', signature, signer.address);
  const verifyMs = (performance.now() - t0) / rounds;
  t0 = performance.now();
  for (let i = 0; i < rounds; i++) await signText(signer, `message ${i}`);
  const signMs = (performance.now() - t0) / rounds;
  return {
    sr25519_verify_ms: Number(verifyMs.toFixed(3)),
    sr25519_sign_ms: Number(signMs.toFixed(3)),
    max_requests_per_s_verify_only: Math.round(1000 / verifyMs),
    max_requests_per_s_verify_and_sign: Math.round(1000 / (verifyMs + signMs)),
  };
}

function timeMs(run: () => void, repeats: number): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(repeats / 2)] as number;
}

function tensorCodec() {
  const elements = 8 * 1024 * 1024; // 16 MiB of float16
  const values = new Float32Array(elements);
  for (let i = 0; i < elements; i++) values[i] = Math.sin(i) * 4;
  const megabytes = (elements * 2) / (1024 * 1024);
  const shape = [1, 8, 1024, 1024];
  let tensor = encodeTensor({ dtype: 'float16', shape, data: values });
  const encodeMs = timeMs(() => {
    tensor = encodeTensor({ dtype: 'float16', shape, data: values });
  }, 5);
  const decodeMs = timeMs(() => {
    decodeTensor(tensor, { maxBytes: elements * 2 });
  }, 5);
  const raw = Buffer.alloc(elements * 2, 7);
  let base64 = raw.toString('base64');
  const baseEncodeMs = timeMs(() => {
    base64 = raw.toString('base64');
  }, 5);
  const baseDecodeMs = timeMs(() => {
    Buffer.from(base64, 'base64');
  }, 5);
  const rate = (ms: number) => Number((megabytes / (ms / 1000)).toFixed(1));
  return {
    tensor: 'float16 [1, 8, 1024, 1024] (16 MiB raw)',
    encode_mb_per_s: rate(encodeMs),
    decode_mb_per_s: rate(decodeMs),
    baseline: 'Buffer base64 of the same 16 MiB, no msgpack or float16 conversion',
    baseline_encode_mb_per_s: rate(baseEncodeMs),
    baseline_decode_mb_per_s: rate(baseDecodeMs),
    encode_ratio: Number((baseEncodeMs / encodeMs).toFixed(3)),
    decode_ratio: Number((baseDecodeMs / decodeMs).toFixed(3)),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function main(): Promise<void> {
  const miner = await createSr25519Signer(new Uint8Array(32).fill(11));
  const validator = await createSr25519Signer(new Uint8Array(32).fill(12));
  const { ports, close } = await servers(miner);
  const sides: Side[] = ['axon', 'baseline_node_http_echo', 'axon_unsigned_responses'];
  // The machine is shared, so load drifts: alternate the sides in short rounds and report
  // medians, so every side sees the same conditions.
  const rounds = 3;
  const perRoundMs = (seconds * 1000) / rounds;
  const perLane = Math.ceil(((perRoundMs / 1000) * 3000) / LANES);
  const reports: Record<Side, LoadReport[]> = {
    axon: [],
    axon_unsigned_responses: [],
    baseline_node_http_echo: [],
  };
  for (const side of sides) {
    const warm = await prepare(validator, miner.address, ports[side], LANES, 4);
    await load({
      port: ports[side],
      lanes: side === 'baseline_node_http_echo' ? echoPaths(warm) : warm,
      durationMs: 10_000,
    });
  }
  for (let round = 0; round < rounds; round++) {
    for (const side of sides) {
      const lanes = await prepare(validator, miner.address, ports[side], LANES, perLane);
      const job = {
        port: ports[side],
        lanes: side === 'baseline_node_http_echo' ? echoPaths(lanes) : lanes,
        durationMs: perRoundMs,
      };
      reports[side].push(await load(job));
    }
  }
  await close();
  const summary = (side: Side) => {
    const all = reports[side];
    const merged: LoadReport = {
      completed: all.reduce((n, r) => n + r.completed, 0),
      elapsedMs: all.reduce((n, r) => n + r.elapsedMs, 0),
      statuses: Object.fromEntries(
        [...new Set(all.flatMap((r) => Object.keys(r.statuses)))].map((k) => [
          k,
          all.reduce((n, r) => n + (r.statuses[k] ?? 0), 0),
        ]),
      ),
      latenciesMs: all.flatMap((r) => r.latenciesMs),
    };
    return {
      ...summarise(merged),
      requests_per_s: Math.round(median(all.map((r) => (r.completed / r.elapsedMs) * 1000))),
    };
  };
  const floor = await cryptoFloor(validator);
  const a = summary('axon');
  const u = summary('axon_unsigned_responses');
  const b = summary('baseline_node_http_echo');
  console.log(
    JSON.stringify(
      {
        benchmark: 'wire/axon',
        connections: LANES,
        seconds_per_side: seconds,
        rounds,
        axon: {
          ...a,
          note: 'sr25519 verify + nonce check per request, signed responses (Python default)',
        },
        axon_unsigned_responses: { ...u, note: 'same, with signResponses: false' },
        baseline_node_http_echo: {
          ...b,
          note: 'node:http, JSON.parse + JSON.stringify of the same bodies',
        },
        ratio_requests_per_s: Number((a.requests_per_s / b.requests_per_s).toFixed(3)),
        ratio_unsigned_requests_per_s: Number((u.requests_per_s / b.requests_per_s).toFixed(3)),
        target_ratio: 0.5,
        crypto_floor_single_thread: floor,
        axon_share_of_crypto_bound: Number(
          (a.requests_per_s / floor.max_requests_per_s_verify_and_sign).toFixed(3),
        ),
        tensor_codec: tensorCodec(),
      },
      null,
      2,
    ),
  );
}

function echoPaths(lanes: PreparedRequest[][]): PreparedRequest[][] {
  return lanes.map((lane) => lane.map((r) => ({ ...r, path: '/echo' })));
}

void main();

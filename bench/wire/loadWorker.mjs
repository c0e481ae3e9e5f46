/**
 * Load generator for bench/wire/axon.ts, run in a worker thread so it has its own event
 * loop: one keep-alive loop per lane, each sending its pre-built requests in order (so
 * nonces arrive in order per uuid), until its list or the time budget runs out.
 * Plain JavaScript because worker threads do not inherit tsx's loader on Node 20.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

function send(agent, port, prepared) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: prepared.path,
        method: 'POST',
        agent,
        headers: {
          ...prepared.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(prepared.body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(prepared.body);
  });
}

async function run(job) {
  const agent = new Agent({ keepAlive: true, maxSockets: job.lanes.length });
  const statuses = {};
  const latenciesMs = [];
  const started = performance.now();
  const stopAt = started + job.durationMs;
  await Promise.all(
    job.lanes.map(async (lane) => {
      for (const prepared of lane) {
        if (performance.now() >= stopAt) return;
        const t0 = performance.now();
        const status = await send(agent, job.port, prepared).catch(() => 0);
        latenciesMs.push(performance.now() - t0);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { completed: latenciesMs.length, elapsedMs, statuses, latenciesMs };
}

run(workerData).then((report) => parentPort.postMessage(report));

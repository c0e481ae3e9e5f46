import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workerEntry } from '@signal/core';
import {
  buildModel,
  CausalLMError,
  HostError,
  HostQueueFullError,
  ModelHost,
  threadBudget,
} from '@signal/runtime';
import type { TestJobs, TestWorkerInit } from './fixtures/testJobs';

const entry = workerEntry(__filename, { source: './fixtures/testWorker.ts', built: 'unused' });

let root: string;
let modelDir: string;
let host: ModelHost<TestJobs>;

function start(options: { queueSize?: number; failStart?: boolean } = {}) {
  return ModelHost.start<TestJobs, TestWorkerInit>({
    module: {
      entry,
      init: { modelDir, ...(options.failStart ? { failStart: true } : {}) },
      errors: [CausalLMError],
    },
    threads: 1,
    workers: 1,
    queueSize: options.queueSize ?? 2,
    name: 'host-test',
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-host-'));
  modelDir = join(root, 'tiny');
  await buildModel({ arch: 'llama', size: 'tiny', seed: 3, outDir: modelDir });
  host = await start();
});

afterAll(async () => {
  await host?.close();
  await rm(root, { recursive: true, force: true });
});

describe('ModelHost', () => {
  it('runs jobs in a worker that keeps its state, with the budgeted threads', async () => {
    await expect(host.run('echo', { a: [1, 2] })).resolves.toEqual({
      input: { a: [1, 2] },
      worker: 0,
      threads: 1,
    });
    const first = await host.run('generate', { prompt: 'hello', maxNewTokens: 3 });
    const second = await host.run('generate', { prompt: 'hello', maxNewTokens: 3 });
    expect(second).toEqual({ text: first.text, loads: 1 });
  });

  it('streams chunks in order, then the result', async () => {
    const stream = host.stream('count', { n: 5 });
    const chunks: number[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toEqual([0, 1, 2, 3, 4]);
    await expect(stream.result).resolves.toBe(5);
    const tokens: string[] = [];
    const generation = host.stream('generate', { prompt: 'once', maxNewTokens: 4 });
    for await (const token of generation) tokens.push(token);
    expect(tokens.join('')).toBe((await generation.result).text);
  });

  it('moves transferred buffers back to the caller', async () => {
    const squares = await host.run('squares', { n: 4 });
    expect(squares).toBeInstanceOf(Float32Array);
    expect([...squares]).toEqual([0, 1, 4, 9]);
  });

  it('rebuilds a typed error thrown in the worker as its own class', async () => {
    const error = await host
      .run('fail', { details: 'expected [1, 4], got [1, 5]' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(CausalLMError);
    expect(error).toMatchObject({
      code: 'LM_INVALID_INPUT',
      shortMessage: 'the input has the wrong shape',
      details: 'expected [1, 4], got [1, 5]',
    });
    const unknown = await host.run('nope' as 'echo', {}).catch((e) => e);
    expect(unknown).toBeInstanceOf(HostError);
    expect(unknown.code).toBe('HOST_UNKNOWN_JOB');
  });

  it('refuses a job beyond the lane queue with a retry-after hint, and other lanes still queue', async () => {
    const running = host.run('spin', { tag: 'running', steps: 40 }, { lane: 'a' });
    const queued = [1, 2].map((i) => host.run('spin', { tag: `q${i}`, steps: 1 }, { lane: 'a' }));
    const refused = await host
      .run('spin', { tag: 'refused', steps: 1 }, { lane: 'a' })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(HostQueueFullError);
    expect(refused.code).toBe('HOST_QUEUE_FULL');
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    const otherLane = host.run('spin', { tag: 'other', steps: 1 }, { lane: 'b' });
    await Promise.all([running, ...queued, otherLane]);
    expect(host.stats()).toMatchObject({ workers: 1, busy: 0, queued: 0 });
    expect(await host.run('started', undefined)).not.toContain('refused');
  });

  it('drops a cancelled job before it runs and stops a running one at its next step', async () => {
    const running = new AbortController();
    const waiting = new AbortController();
    const first = host.run('spin', { tag: 'long', steps: 10_000 }, { signal: running.signal });
    const second = host.run('spin', { tag: 'never', steps: 1 }, { signal: waiting.signal });
    waiting.abort(new Error('client went away'));
    await expect(second).rejects.toMatchObject({ code: 'HOST_JOB_ABORTED' });
    running.abort(new Error('deadline passed'));
    await expect(first).rejects.toMatchObject({ code: 'HOST_JOB_ABORTED' });
    const after = await host.run('echo', 'after');
    expect(after.input).toBe('after');
    const started = await host.run('started', undefined);
    expect(started).toContain('long');
    expect(started).not.toContain('never');
    expect(host.stats()).toMatchObject({ busy: 0, queued: 0 });
  });

  it('stops a streamed generation when the reader leaves early', async () => {
    const generation = host.stream('generate', { prompt: 'once', maxNewTokens: 200 });
    for await (const _ of generation) break;
    await expect(generation.result).rejects.toMatchObject({ code: 'HOST_JOB_ABORTED' });
    await expect(host.run('echo', 1)).resolves.toMatchObject({ input: 1 });
  });

  it('fails only the job of a worker that dies, replaces the worker and serves the next job', async () => {
    const crashed = host.run('crash', { code: 7 });
    const next = host.run('echo', 'next');
    const error = await crashed.catch((e) => e);
    expect(error).toBeInstanceOf(HostError);
    expect(error.code).toBe('HOST_WORKER_CRASHED');
    expect(error.message).toContain('exit code 7');
    await expect(next).resolves.toMatchObject({ input: 'next', worker: 0 });
    expect(host.stats()).toMatchObject({ workers: 1, crashes: 1, busy: 0, queued: 0 });
  });
});

describe('ModelHost start and budget', () => {
  it('keeps workers × intra-op threads within the threads given', () => {
    expect(threadBudget({ threads: 4, workers: 2 })).toEqual({
      threads: 4,
      workers: 2,
      intraOpThreads: 2,
    });
    expect(() => threadBudget({ threads: 2, workers: 2, intraOpThreads: 2 })).toThrow(
      /2 workers × 2 intra-op threads = 4 > 2 threads/,
    );
    expect(() => threadBudget({ threads: 1, workers: 2 })).toThrow(HostError);
    expect(() => threadBudget({ threads: 0 })).toThrow(/threads must be a positive integer/);
  });

  it('reports a worker module whose set-up fails, typed', async () => {
    const error = await start({ failStart: true }).catch((e) => e);
    expect(error).toBeInstanceOf(HostError);
    expect(error.code).toBe('HOST_WORKER_START_FAILED');
    expect(error.cause).toBeInstanceOf(CausalLMError);
  });

  it('refuses jobs once closed', async () => {
    const closing = await start();
    await closing.close();
    await expect(closing.run('echo', 1)).rejects.toMatchObject({ code: 'HOST_CLOSED' });
  });
});

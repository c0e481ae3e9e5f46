import type { ResourceLimits, Worker } from 'node:worker_threads';
import { type ErrorClass, reviveError, startWorker } from '@signal/core';
import { HostError } from './HostError';
import type { FromWorker, HostWorkerData, ToWorker } from './hostProtocol';

/** What the owner of a running job hears from the worker. */
export interface JobListener {
  chunk(chunk: unknown): void;
  done(value: unknown): void;
  error(error: Error): void;
}

export interface HostWorkerOptions {
  readonly entry: string;
  readonly data: HostWorkerData;
  readonly errors: ReadonlyMap<string, ErrorClass>;
  readonly name: string;
  readonly resourceLimits?: ResourceLimits | undefined;
  /** Called once if the thread dies while the host still wants it (never after `close`). */
  readonly onDeath: (error: HostError) => void;
}

const CLOSE_GRACE_MS = 5_000;

/**
 * One worker thread of a host: started and ready (its module's factory ran), then running
 * jobs by id. The thread is referenced only while it runs a job, so an idle host never keeps
 * the process alive on its own.
 */
export class HostWorker {
  private readonly listeners = new Map<number, JobListener>();
  private closing = false;
  private lastError: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly options: HostWorkerOptions,
  ) {}

  /** Starts the thread and resolves once its module is ready. */
  static start(options: HostWorkerOptions): Promise<HostWorker> {
    return new Promise((resolve, reject) => {
      let worker: Worker;
      try {
        worker = startWorker(options.entry, {
          workerData: options.data,
          name: options.name,
          ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
        });
      } catch (cause) {
        reject(startFailed(options, cause));
        return;
      }
      const host = new HostWorker(worker, options);
      let settled = false;
      const onMessage = (message: FromWorker) => {
        if (settled) return;
        if (message.type === 'ready') {
          settled = true;
          worker.unref();
          resolve(host);
        } else if (message.type === 'failed') {
          settled = true;
          host.closing = true;
          void worker.terminate();
          reject(startFailed(options, reviveError(message.error, options.errors)));
        }
      };
      worker.on('message', onMessage);
      worker.on('message', (message: FromWorker) => host.receive(message));
      worker.on('error', (error) => {
        host.lastError = error;
      });
      worker.once('exit', (code) => {
        if (!settled) {
          settled = true;
          reject(startFailed(options, host.lastError ?? new Error(`exit code ${code}`)));
          return;
        }
        host.died(code);
      });
    });
  }

  /** Sends a job; the listener hears its chunks and its end. */
  run(id: number, job: string, input: unknown, listener: JobListener): void {
    this.listeners.set(id, listener);
    this.worker.ref();
    this.post({ type: 'run', id, job, input });
  }

  /** Asks the worker to abort a running job; its end still arrives through the listener. */
  abort(id: number): void {
    if (this.listeners.has(id)) this.post({ type: 'abort', id });
  }

  /** Lets the module release its state, then stops the thread. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    const closed = new Promise<void>((resolve) => {
      this.worker.on('message', (message: FromWorker) => {
        if (message.type === 'closed') resolve();
      });
    });
    this.worker.ref();
    this.post({ type: 'close' });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      closed,
      exited,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_GRACE_MS);
      }),
    ]);
    clearTimeout(timer);
    await this.worker.terminate();
    await exited;
  }

  /** Kills the thread at once (tests, and a host giving up on a stuck worker). */
  async terminate(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    if (message.type !== 'chunk' && message.type !== 'done' && message.type !== 'error') return;
    const listener = this.listeners.get(message.id);
    if (!listener) return;
    if (message.type === 'chunk') {
      listener.chunk(message.chunk);
      return;
    }
    this.listeners.delete(message.id);
    if (this.listeners.size === 0) this.worker.unref();
    if (message.type === 'done') listener.done(message.value);
    else listener.error(reviveError(message.error, this.options.errors));
  }

  private died(code: number): void {
    if (this.closing) return;
    this.closing = true;
    const reason = this.lastError ? `: ${this.lastError.message}` : '';
    const error = new HostError(
      'HOST_WORKER_CRASHED',
      `Worker ${this.options.name} died (exit code ${code})${this.listeners.size > 0 ? ' while running a job' : ''}.`,
      { details: `the host starts a replacement${reason}`, cause: this.lastError },
    );
    const listeners = [...this.listeners.values()];
    this.listeners.clear();
    // The host forgets this worker first, so the failed jobs' callbacks cannot hand it more.
    this.options.onDeath(error);
    for (const listener of listeners) listener.error(error);
  }
}

function startFailed(options: HostWorkerOptions, cause: unknown): HostError {
  return new HostError('HOST_WORKER_START_FAILED', `Worker ${options.name} failed to start.`, {
    details: `${options.entry}: ${cause instanceof Error ? cause.message : String(cause)}`,
    cause,
  });
}

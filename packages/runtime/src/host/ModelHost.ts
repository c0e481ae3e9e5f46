import type { ResourceLimits } from 'node:worker_threads';
import {
  AxonRefusal,
  errorClassMap,
  PayloadError,
  ScoringError,
  SignalError,
  SynapseError,
  TensorCodecError,
  TierError,
  WireError,
} from '@signal/core';
import { BuilderError } from '../builder/BuilderError';
import { CausalLMError } from '../causal/CausalLMError';
import { KvCacheError } from '../kv/KvCacheError';
import { ModelDirError } from '../model/ModelDirError';
import { OnnxError } from '../onnx/OnnxError';
import { PositionsError } from '../positions/PositionsError';
import { RegistryError } from '../registry/RegistryError';
import { TokenizerError } from '../tokenizer/TokenizerError';
import { HostError, HostQueueFullError } from './HostError';
import { HostStream } from './HostStream';
import { HostWorker } from './HostWorker';
import { LaneQueue } from './LaneQueue';
import { type ThreadBudget, type ThreadBudgetInput, threadBudget } from './threadBudget';
import type { JobTable, WorkerModule } from './WorkerModule';

export interface ModelHostOptions<Init> extends ThreadBudgetInput {
  readonly module: WorkerModule<Init>;
  /** Jobs that may wait per lane before new ones are refused (default 32). */
  readonly queueSize?: number;
  /** Thread names are `<name>-<index>` (default `model-host`). */
  readonly name?: string;
  readonly resourceLimits?: ResourceLimits;
  /** Told about crashes and replacements, for logs and metrics. */
  readonly onEvent?: (event: HostEvent) => void;
}

export type HostEvent =
  | { readonly type: 'worker-crashed'; readonly worker: number; readonly error: HostError }
  | { readonly type: 'worker-replaced'; readonly worker: number }
  | { readonly type: 'worker-restart-failed'; readonly worker: number; readonly error: HostError };

export interface RunOptions {
  /** The queue the job waits in, usually the model it needs (default: the job's name). */
  readonly lane?: string;
  /** Drops the job if it still waits, and stops it at its next step if it runs. */
  readonly signal?: AbortSignal;
  /** Higher runs first within its lane (default 0). */
  readonly priority?: number;
}

export interface HostStats {
  readonly budget: ThreadBudget;
  readonly workers: number;
  readonly busy: number;
  readonly queued: number;
  readonly lanes: Readonly<Record<string, number>>;
  readonly crashes: number;
}

interface Job {
  readonly id: number;
  readonly job: string;
  readonly input: unknown;
  readonly lane: string;
  readonly priority: number;
  readonly seq: number;
  readonly signal: AbortSignal | undefined;
  readonly onChunk: ((chunk: unknown) => void) | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  settled: boolean;
  detach: () => void;
}

interface Slot {
  readonly index: number;
  worker: HostWorker | undefined;
  running: Job | undefined;
  lastLane: string | undefined;
}

/** Error classes of the packages below any worker module, so they always come back typed. */
const BASE_ERRORS = [
  SignalError,
  AxonRefusal,
  PayloadError,
  ScoringError,
  SynapseError,
  TensorCodecError,
  TierError,
  WireError,
  BuilderError,
  CausalLMError,
  KvCacheError,
  ModelDirError,
  OnnxError,
  PositionsError,
  RegistryError,
  TokenizerError,
  HostError,
  HostQueueFullError,
];
const RESTART_DELAY_MS = 1_000;
/** Weight of the newest duration in a lane's moving average (for Retry-After hints). */
const DURATION_EWMA = 0.2;

/**
 * Runs a worker module's jobs in long-lived worker threads, so that a service's main thread
 * never runs a model. Each worker keeps its own state (loaded sessions, KV caches, LoRA),
 * runs one job at a time with the intra-op threads the budget gives it, and prefers the
 * lane (model) it ran last. Each lane has a bounded queue; a full one refuses with
 * `HostQueueFullError` and a retry-after hint. A job whose signal aborts is dropped if it
 * waits and told to stop if it runs. A worker that dies fails only its own job and is
 * replaced.
 */
export class ModelHost<Jobs extends JobTable> {
  private readonly queue: LaneQueue<Job>;
  private readonly durations = new Map<string, number>();
  private readonly runningByLane = new Map<string, number>();
  private nextId = 1;
  private crashes = 0;
  private closed = false;

  private constructor(
    readonly budget: ThreadBudget,
    private readonly options: ModelHostOptions<unknown>,
    private readonly slots: Slot[],
    private readonly errors: ReturnType<typeof errorClassMap>,
  ) {
    this.queue = new LaneQueue(options.queueSize ?? 32);
  }

  /** Starts every worker and resolves once each has built its state. */
  static async start<Jobs extends JobTable, Init = unknown>(
    options: ModelHostOptions<Init>,
  ): Promise<ModelHost<Jobs>> {
    const budget = threadBudget(options);
    const queueSize = options.queueSize ?? 32;
    if (!Number.isSafeInteger(queueSize) || queueSize < 0) {
      throw new HostError('HOST_INVALID_OPTIONS', 'queueSize must be a non-negative integer.', {
        details: `got ${queueSize}`,
      });
    }
    const errors = errorClassMap([...BASE_ERRORS, ...(options.module.errors ?? [])]);
    const slots: Slot[] = Array.from({ length: budget.workers }, (_, index) => ({
      index,
      worker: undefined,
      running: undefined,
      lastLane: undefined,
    }));
    const host = new ModelHost<Jobs>(budget, options as ModelHostOptions<unknown>, slots, errors);
    const started = await Promise.allSettled(slots.map((slot) => host.startWorker(slot)));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) {
      await host.close();
      throw failed.reason;
    }
    return host;
  }

  /** Runs a job and resolves with its result. */
  run<Job extends keyof Jobs & string>(
    job: Job,
    input: Jobs[Job]['input'],
    options: RunOptions = {},
  ): Promise<Jobs[Job]['output']> {
    return this.enqueue(job, input, options, undefined) as Promise<Jobs[Job]['output']>;
  }

  /** Runs a streaming job: iterate its chunks; `result` settles with its final value. */
  stream<Job extends keyof Jobs & string>(
    job: Job,
    input: Jobs[Job]['input'],
    options: RunOptions = {},
  ): HostStream<Jobs[Job]['chunk'], Jobs[Job]['output']> {
    return new HostStream(
      (onChunk, signal) => this.enqueue(job, input, { ...options, signal }, onChunk),
      options.signal,
    );
  }

  stats(): HostStats {
    return {
      budget: this.budget,
      workers: this.slots.filter((slot) => slot.worker).length,
      busy: this.slots.filter((slot) => slot.running).length,
      queued: this.queue.size,
      lanes: this.queue.counts(),
      crashes: this.crashes,
    };
  }

  /** Refuses new jobs, drops waiting ones, lets running ones finish, then stops the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.drain()) {
      this.settle(job, new HostError('HOST_CLOSED', 'The model host closed before the job ran.'));
    }
    await Promise.all(
      this.slots.map(async (slot) => {
        const worker = slot.worker;
        slot.worker = undefined;
        await worker?.close();
      }),
    );
  }

  private enqueue(
    name: string,
    input: unknown,
    options: RunOptions,
    onChunk: ((chunk: unknown) => void) | undefined,
  ): Promise<unknown> {
    if (this.closed)
      return Promise.reject(new HostError('HOST_CLOSED', 'The model host is closed.'));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(aborted(signal));
    const lane = options.lane ?? name;
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const job: Job = {
        id,
        job: name,
        input,
        lane,
        priority: options.priority ?? 0,
        seq: id,
        signal,
        onChunk,
        resolve,
        reject,
        settled: false,
        detach: () => undefined,
      };
      if (!this.queue.push(job)) {
        reject(
          new HostQueueFullError(lane, this.queue.waiting(lane), this.retryAfterSeconds(lane)),
        );
        return;
      }
      if (signal) {
        const onAbort = () => this.cancel(job);
        signal.addEventListener('abort', onAbort, { once: true });
        job.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.dispatch();
    });
  }

  private cancel(job: Job): void {
    if (job.settled) return;
    if (this.queue.remove(job)) {
      this.settle(job, aborted(job.signal));
      return;
    }
    const slot = this.slots.find((s) => s.running === job);
    slot?.worker?.abort(job.id);
    this.settle(job, aborted(job.signal));
  }

  private dispatch(): void {
    for (;;) {
      const idle = this.slots.filter((slot) => slot.worker && !slot.running);
      if (idle.length === 0 || this.queue.size === 0) return;
      const job = this.queue.next()!;
      const slot =
        idle.find((s) => s.lastLane === job.lane) ?? idle.find((s) => !s.lastLane) ?? idle[0]!;
      this.start(slot, job);
    }
  }

  private start(slot: Slot, job: Job): void {
    const worker = slot.worker!;
    slot.running = job;
    slot.lastLane = job.lane;
    this.runningByLane.set(job.lane, (this.runningByLane.get(job.lane) ?? 0) + 1);
    const started = performance.now();
    const finish = () => {
      if (slot.running === job) slot.running = undefined;
      this.runningByLane.set(job.lane, (this.runningByLane.get(job.lane) ?? 1) - 1);
      const elapsed = performance.now() - started;
      const average = this.durations.get(job.lane);
      this.durations.set(
        job.lane,
        average === undefined ? elapsed : average + DURATION_EWMA * (elapsed - average),
      );
      this.dispatch();
    };
    worker.run(job.id, job.job, job.input, {
      chunk: (chunk) => {
        if (!job.settled) job.onChunk?.(chunk);
      },
      done: (value) => {
        this.settle(job, undefined, value);
        finish();
      },
      error: (error) => {
        this.settle(job, error);
        finish();
      },
    });
  }

  private settle(job: Job, error: Error | undefined, value?: unknown): void {
    if (job.settled) return;
    job.settled = true;
    job.detach();
    if (error) job.reject(error);
    else job.resolve(value);
  }

  /** Seconds until the lane has likely worked through what is ahead of a new job. */
  private retryAfterSeconds(lane: string): number {
    const average = this.durations.get(lane);
    if (average === undefined) return 1;
    const ahead = this.queue.waiting(lane) + (this.runningByLane.get(lane) ?? 0);
    const perWorker = ahead / Math.max(1, this.slots.length);
    return Math.max(1, Math.ceil((perWorker * average) / 1000));
  }

  private async startWorker(slot: Slot): Promise<void> {
    const worker = await HostWorker.start({
      entry: this.options.module.entry,
      data: {
        init: this.options.module.init,
        intraOpThreads: this.budget.intraOpThreads,
        workerIndex: slot.index,
      },
      errors: this.errors,
      name: `${this.options.name ?? 'model-host'}-${slot.index}`,
      resourceLimits: this.options.resourceLimits,
      onDeath: (error) => this.replace(slot, error),
    });
    if (this.closed) {
      await worker.close();
      return;
    }
    slot.worker = worker;
    slot.lastLane = undefined;
    this.dispatch();
  }

  private replace(slot: Slot, error: HostError): void {
    this.crashes++;
    slot.worker = undefined;
    slot.running = undefined;
    this.options.onEvent?.({ type: 'worker-crashed', worker: slot.index, error });
    this.restart(slot);
  }

  /** Starts a worker in the slot again, retrying every second until one starts. */
  private restart(slot: Slot): void {
    if (this.closed || slot.worker) return;
    this.startWorker(slot).then(
      () => this.options.onEvent?.({ type: 'worker-replaced', worker: slot.index }),
      (cause: unknown) => {
        const error =
          cause instanceof HostError
            ? cause
            : new HostError('HOST_WORKER_START_FAILED', 'A replacement worker failed to start.', {
                cause,
              });
        this.options.onEvent?.({ type: 'worker-restart-failed', worker: slot.index, error });
        setTimeout(() => this.restart(slot), RESTART_DELAY_MS).unref();
      },
    );
  }
}

function aborted(signal: AbortSignal | undefined): HostError {
  return new HostError('HOST_JOB_ABORTED', 'The job was cancelled.', {
    details: signal?.reason instanceof Error ? signal.reason.message : undefined,
    cause: signal?.reason,
  });
}

import type { ErrorClass } from '@signal/core';

/** One job kind a worker module serves: what it takes, what it returns, what it streams. */
export interface JobSpec<Input = unknown, Output = unknown, Chunk = never> {
  readonly input: Input;
  readonly output: Output;
  readonly chunk: Chunk;
}

/** A worker module's jobs by name. */
export type JobTable = { readonly [job: string]: JobSpec<unknown, unknown, unknown> };

/** What a job handler is told about its job, inside the worker. */
export interface JobContext<Chunk> {
  /** Aborted when the caller cancels the job (a disconnected client, a passed deadline). */
  readonly signal: AbortSignal;
  /** Streams a chunk to the caller now; `transfer` moves those buffers instead of copying. */
  emit(chunk: Chunk, transfer?: readonly ArrayBuffer[]): void;
}

/** A value a handler returns together with the buffers to move (not copy) to the caller. */
export class Transferred<T> {
  constructor(
    readonly value: T,
    readonly buffers: readonly ArrayBuffer[],
  ) {}
}

/**
 * Returns `value` to the caller with `buffers` transferred: they become the caller's and are
 * detached here, so only pass buffers nothing in the worker still uses (never a view into a
 * cache the worker keeps).
 */
export function transferred<T>(value: T, buffers: readonly ArrayBuffer[]): Transferred<T> {
  return new Transferred(value, buffers);
}

export type JobHandler<Spec extends JobSpec<unknown, unknown, unknown>> = (
  input: Spec['input'],
  job: JobContext<Spec['chunk']>,
) =>
  | Spec['output']
  | Transferred<Spec['output']>
  | Promise<Spec['output'] | Transferred<Spec['output']>>;

export type JobHandlers<Jobs extends JobTable> = {
  readonly [Job in keyof Jobs]: JobHandler<Jobs[Job]>;
};

/** What a worker learns about itself when it starts. */
export interface WorkerSetup {
  /** ONNX Runtime intra-op threads its sessions may use (the host's thread budget). */
  readonly intraOpThreads: number;
  /** Its slot in the host, 0-based; a replacement takes the slot of the worker it replaces. */
  readonly workerIndex: number;
}

/** A started worker: its handlers, and what to release when the host closes. */
export interface ServedWorker<Jobs extends JobTable> {
  readonly handlers: JobHandlers<Jobs>;
  close?(): Promise<void> | void;
}

/** Builds a worker's state (models, registries, adapters) from the module's init data. */
export type WorkerFactory<Init, Jobs extends JobTable> = (
  init: Init,
  setup: WorkerSetup,
) => Promise<ServedWorker<Jobs>> | ServedWorker<Jobs>;

/**
 * A worker module as the main thread names it: the file whose top level calls
 * `serveHostWorker(factory)`, the data its factory gets (structured-clonable), and the error
 * classes its handlers throw, so they come back as the same classes.
 */
export interface WorkerModule<Init> {
  /** Absolute path of the entry (`workerEntry(__filename, …)` finds it from sources or dist). */
  readonly entry: string;
  readonly init: Init;
  readonly errors?: readonly ErrorClass[];
}

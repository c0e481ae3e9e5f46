import type { Worker } from 'node:worker_threads';
import { startWorker, workerEntry } from '@signal/core';
import { HubError } from '../HubError';
import type { BlobHash } from './BlobHash';
import type { BlobHashAlgorithm, FromHashThread, ToHashThread } from './hashProtocol';

/** Bytes copied into one message to the thread: few messages, and small enough to overlap. */
const BATCH_BYTES = 1024 * 1024;
/** Bytes a hash may have posted and not yet had hashed before its feeder is asked to wait. */
const IN_FLIGHT_BYTES = 8 * BATCH_BYTES;

type Post = (message: ToHashThread, transfer?: ArrayBuffer[]) => void;

/**
 * One thread that hashes downloads for the whole process, started on first use. It is
 * referenced only while a hash is open, so it never keeps the process alive on its own; if
 * it dies, the open hashes fail (their downloads retry) and the next hash starts a new one.
 */
export class HashThread {
  private worker: Worker | undefined;
  private readonly open = new Map<number, ThreadHash>();
  private nextId = 1;

  /** A hash of `prefix` followed by whatever is fed to it. */
  hash(algorithm: BlobHashAlgorithm, prefix: string): BlobHash {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    const post: Post = (message, transfer) => worker.postMessage(message, transfer);
    const hash = new ThreadHash(id, post, () => this.forget(id));
    if (this.open.size === 0) worker.ref();
    this.open.set(id, hash);
    post({ type: 'open', id, algorithm, prefix });
    return hash;
  }

  private start(): Worker {
    const worker = startWorker(
      workerEntry(__filename, { source: './hashWorker.ts', built: 'hashWorker' }),
      { name: 'hub-hash' },
    );
    worker.unref();
    worker.on('message', (message: FromHashThread) => this.open.get(message.id)?.receive(message));
    worker.on('error', (error) => this.died(worker, error));
    worker.on('exit', (code) =>
      this.died(worker, new Error(`the thread exited with code ${code}`)),
    );
    this.worker = worker;
    return worker;
  }

  private died(worker: Worker, cause: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const error = new HubError('HUB_DOWNLOAD_FAILED', 'The thread hashing downloads stopped.', {
      details: cause.message,
      cause,
    });
    for (const hash of this.open.values()) hash.fail(error);
    this.open.clear();
  }

  private forget(id: number): void {
    if (this.open.delete(id) && this.open.size === 0) this.worker?.unref();
  }
}

interface Waiter<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

function waiter<T>(): Waiter<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** One blob's hash on the thread: bytes batched, copied into messages the thread owns. */
class ThreadHash implements BlobHash {
  private batch: Uint8Array | undefined;
  private filled = 0;
  private inFlight = 0;
  private drained: Waiter<void> | undefined;
  private digested: Waiter<string> | undefined;
  private failure: Error | undefined;
  private finished = false;

  constructor(
    private readonly id: number,
    private readonly post: Post,
    private readonly forget: () => void,
  ) {}

  update(chunk: Uint8Array): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    for (let offset = 0; offset < chunk.byteLength; ) {
      this.batch ??= new Uint8Array(BATCH_BYTES);
      const take = Math.min(BATCH_BYTES - this.filled, chunk.byteLength - offset);
      this.batch.set(chunk.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === BATCH_BYTES) this.flush();
    }
    if (this.inFlight < IN_FLIGHT_BYTES) return undefined;
    this.drained ??= waiter();
    return this.drained.promise;
  }

  digest(): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    this.flush();
    this.finished = true;
    this.post({ type: 'digest', id: this.id });
    this.digested = waiter();
    return this.digested.promise;
  }

  close(): void {
    if (this.finished) return;
    this.finished = true;
    if (!this.failure) this.post({ type: 'drop', id: this.id });
    this.forget();
  }

  receive(message: FromHashThread): void {
    if (message.type === 'hashed') {
      this.inFlight -= message.bytes;
      if (this.inFlight < IN_FLIGHT_BYTES) this.release()?.resolve();
      return;
    }
    this.forget();
    this.digested?.resolve(message.hex);
  }

  fail(error: Error): void {
    this.failure = error;
    this.release()?.reject(error);
    this.digested?.reject(error);
  }

  private release(): Waiter<void> | undefined {
    const drained = this.drained;
    this.drained = undefined;
    return drained;
  }

  /** Moves the batch to the thread (transferred: its buffer is the thread's from now on). */
  private flush(): void {
    if (!this.batch || this.filled === 0) return;
    const bytes = this.batch.subarray(0, this.filled);
    this.post({ type: 'bytes', id: this.id, bytes }, [bytes.buffer as ArrayBuffer]);
    this.inFlight += this.filled;
    this.batch = undefined;
    this.filled = 0;
  }
}

let shared: HashThread | undefined;

/** The process's hashing thread. */
export function sharedHashThread(): HashThread {
  shared ??= new HashThread();
  return shared;
}

import type { Worker } from 'node:worker_threads';
import {
  errorClassMap,
  reviveError,
  type SerializedError,
} from '../../../threads/crossThreadError';
import { startWorker } from '../../../threads/startWorker';
import { workerEntry } from '../../../threads/workerEntry';
import type { Sr25519Keys } from '../../signature';
import { WireError } from '../../WireError';
import type { HeldKey, SignatureService } from './SignatureService';
import type {
  KeyMessage,
  SignatureBatch,
  SignatureReady,
  SignatureResults,
  SignatureTask,
} from './signatureProtocol';

interface Pending {
  readonly task: SignatureTask;
  readonly resolve: (result: boolean | string) => void;
  readonly reject: (error: Error) => void;
}

interface Lane {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly batches: Map<number, Pending[]>;
  outstanding: number;
}

const ERRORS = errorClassMap([WireError]);

/**
 * sr25519 in worker threads, so an axon's main thread only parses, checks and answers: request
 * signatures are verified there, and responses signed with keys the threads were handed once
 * (`holdKey`). Tasks queued in one turn of the event loop go out as one message per thread (the
 * thread with the fewest outstanding tasks first), which keeps the cost of crossing threads
 * small next to the ~0.3 ms a verification and ~0.14 ms a signature take. A thread that dies
 * fails its tasks with `WIRE_SIGNATURE` and is replaced, with the keys the pool holds.
 */
export class SignaturePool implements SignatureService {
  private readonly lanes: Lane[] = [];
  private readonly keys = new Map<number, Sr25519Keys>();
  private queued: Pending[] = [];
  private flushing = false;
  private nextId = 1;
  private nextKey = 1;
  private closed = false;

  constructor(readonly threads: number) {
    if (!Number.isSafeInteger(threads) || threads < 1) {
      throw new RangeError('a signature pool needs at least one thread');
    }
    for (let i = 0; i < threads; i++) this.lanes.push(this.start());
  }

  ready(): Promise<void> {
    return Promise.all(this.lanes.map((lane) => lane.ready)).then(() => undefined);
  }

  backlog(): number {
    let waiting = this.queued.length;
    for (const lane of this.lanes) waiting += lane.outstanding;
    return waiting / Math.max(1, this.lanes.length);
  }

  verify(text: string, signature: string, address: string): Promise<boolean> {
    return this.queue({ verify: [text, signature, address] }) as Promise<boolean>;
  }

  holdKey(keys: Sr25519Keys): HeldKey {
    const id = this.nextKey++;
    const held = {
      publicKey: Uint8Array.from(keys.publicKey),
      secretKey: Uint8Array.from(keys.secretKey),
    };
    this.keys.set(id, held);
    for (const lane of this.lanes) this.hold(lane, id, held);
    return {
      sign: (text) => this.queue({ sign: [id, text] }) as Promise<string>,
      release: () => {
        if (!this.keys.delete(id)) return;
        held.secretKey.fill(0);
        for (const lane of this.lanes) lane.worker.postMessage({ forget: id } satisfies KeyMessage);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const keys of this.keys.values()) keys.secretKey.fill(0);
    this.keys.clear();
    const lanes = this.lanes.splice(0);
    for (const lane of lanes) this.fail(lane, 'The signature pool closed.');
    await Promise.all(lanes.map((lane) => lane.worker.terminate()));
  }

  private queue(task: SignatureTask): Promise<boolean | string> {
    if (this.closed) {
      return Promise.reject(new WireError('WIRE_SIGNATURE', 'The signature pool is closed.'));
    }
    return new Promise((resolve, reject) => {
      this.queued.push({ task, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private hold(lane: Lane, id: number, keys: Sr25519Keys): void {
    lane.worker.postMessage({
      hold: { id, publicKey: keys.publicKey, secretKey: keys.secretKey },
    } satisfies KeyMessage);
  }

  private flush(): void {
    this.flushing = false;
    const queued = this.queued;
    this.queued = [];
    if (queued.length === 0) return;
    // Deal the tasks out so every thread ends up with about the same outstanding work.
    const lanes = [...this.lanes].sort((a, b) => a.outstanding - b.outstanding);
    const total = queued.length + lanes.reduce((n, lane) => n + lane.outstanding, 0);
    const share = Math.ceil(total / lanes.length);
    let offset = 0;
    for (const lane of lanes) {
      const take = Math.min(queued.length - offset, Math.max(0, share - lane.outstanding));
      if (take > 0) this.send(lane, queued.slice(offset, offset + take));
      offset += take;
    }
    if (offset < queued.length) this.send(lanes[0]!, queued.slice(offset));
  }

  private send(lane: Lane, pending: Pending[]): void {
    const id = this.nextId++;
    lane.batches.set(id, pending);
    lane.outstanding += pending.length;
    if (lane.outstanding === pending.length) lane.worker.ref();
    lane.worker.postMessage({ id, tasks: pending.map((p) => p.task) } satisfies SignatureBatch);
  }

  private start(): Lane {
    const worker = startWorker(
      workerEntry(__filename, { source: './signatureWorker.ts', built: 'signatureWorker' }),
      { name: 'axon-sr25519' },
    );
    let started: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      started = resolve;
    });
    const lane: Lane = { worker, ready, batches: new Map(), outstanding: 0 };
    for (const [id, keys] of this.keys) this.hold(lane, id, keys);
    worker.unref();
    worker.on('message', (message: SignatureResults | SignatureReady) => {
      if ('ready' in message) {
        started();
        return;
      }
      const { id, results } = message;
      const pending = lane.batches.get(id);
      if (!pending) return;
      lane.batches.delete(id);
      lane.outstanding -= pending.length;
      if (lane.outstanding === 0) worker.unref();
      pending.forEach((p, i) => {
        const result = results[i] as boolean | string | SerializedError;
        if (typeof result === 'boolean' || typeof result === 'string') p.resolve(result);
        else p.reject(reviveError(result, ERRORS));
      });
    });
    worker.on('error', () => undefined);
    worker.once('exit', () => {
      started();
      if (this.closed) return;
      this.fail(lane, 'A signature thread died.');
      const index = this.lanes.indexOf(lane);
      if (index >= 0) this.lanes[index] = this.start();
    });
    return lane;
  }

  private fail(lane: Lane, message: string): void {
    for (const pending of lane.batches.values()) {
      for (const p of pending) p.reject(new WireError('WIRE_SIGNATURE', message));
    }
    lane.batches.clear();
    lane.outstanding = 0;
  }
}

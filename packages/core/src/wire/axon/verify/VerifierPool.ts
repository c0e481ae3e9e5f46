import type { Worker } from 'node:worker_threads';
import {
  errorClassMap,
  reviveError,
  type SerializedError,
} from '../../../threads/crossThreadError';
import { startWorker } from '../../../threads/startWorker';
import { workerEntry } from '../../../threads/workerEntry';
import { WireError } from '../../WireError';
import type { SignatureVerifier } from './SignatureVerifier';
import type { VerifyBatch, VerifyItem, VerifyReady, VerifyResults } from './verifyProtocol';

interface Pending {
  readonly item: VerifyItem;
  readonly resolve: (verdict: boolean) => void;
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
 * sr25519 verification in worker threads, so an axon's main thread only parses, checks and
 * answers. Checks queued in one turn of the event loop go out as one message per thread (the
 * thread with the fewest outstanding checks first), which keeps the cost of crossing threads
 * small next to the ~0.3 ms a verification takes. A thread that dies fails its checks with
 * `WIRE_SIGNATURE` and is replaced.
 */
export class VerifierPool implements SignatureVerifier {
  private readonly lanes: Lane[] = [];
  private queued: Pending[] = [];
  private flushing = false;
  private nextId = 1;
  private closed = false;

  constructor(readonly threads: number) {
    if (!Number.isSafeInteger(threads) || threads < 1) {
      throw new RangeError('a verifier pool needs at least one thread');
    }
    for (let i = 0; i < threads; i++) this.lanes.push(this.start());
  }

  ready(): Promise<void> {
    return Promise.all(this.lanes.map((lane) => lane.ready)).then(() => undefined);
  }

  verify(text: string, signature: string, address: string): Promise<boolean> {
    if (this.closed) {
      return Promise.reject(new WireError('WIRE_SIGNATURE', 'The signature verifier is closed.'));
    }
    return new Promise((resolve, reject) => {
      this.queued.push({ item: { text, signature, address }, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const lanes = this.lanes.splice(0);
    for (const lane of lanes) this.fail(lane, 'The signature verifier closed.');
    await Promise.all(lanes.map((lane) => lane.worker.terminate()));
  }

  private flush(): void {
    this.flushing = false;
    const queued = this.queued;
    this.queued = [];
    if (queued.length === 0) return;
    // Deal the checks out so every thread ends up with about the same outstanding work.
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
    lane.worker.postMessage({ id, items: pending.map((p) => p.item) } satisfies VerifyBatch);
  }

  private start(): Lane {
    const worker = startWorker(
      workerEntry(__filename, { source: './verifyWorker.ts', built: 'verifyWorker' }),
      { name: 'axon-verify' },
    );
    let started: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      started = resolve;
    });
    const lane: Lane = { worker, ready, batches: new Map(), outstanding: 0 };
    worker.unref();
    worker.on('message', (message: VerifyResults | VerifyReady) => {
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
        const result = results[i] as boolean | SerializedError;
        if (typeof result === 'boolean') p.resolve(result);
        else p.reject(reviveError(result, ERRORS));
      });
    });
    worker.on('error', () => undefined);
    worker.once('exit', () => {
      started();
      if (this.closed) return;
      this.fail(lane, 'A signature verification thread died.');
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

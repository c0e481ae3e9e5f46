import { AxonRefusal } from './AxonRefusal';

interface Waiter {
  readonly priority: number;
  readonly seq: number;
  readonly start: () => void;
  readonly expire: () => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Admission control for forwards: at most `concurrency` run at once, at most `maxQueue`
 * wait, higher priority first (FIFO among equals, like Python's priority thread pool).
 * A full queue refuses with 503; a request still waiting at its deadline gets 408.
 */
export class PriorityGate {
  private running = 0;
  private seq = 0;
  private readonly queue: Waiter[] = [];
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxQueue: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError('concurrency must be a positive integer');
    }
    if (!Number.isInteger(maxQueue) || maxQueue < 0) {
      throw new RangeError('maxQueue must be a non-negative integer');
    }
  }

  get active(): number {
    return this.running;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Resolves once a slot is held; the caller must call the returned release exactly once. */
  acquire(priority: number, deadlineMs: number): Promise<() => void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve(this.releaser());
    }
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(
        new AxonRefusal(503, 'Service unavailable: the request queue is full.', {
          retryAfterSeconds: 1,
        }),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        priority: Number.isFinite(priority) ? priority : 0,
        seq: this.seq++,
        start: () => {
          if (waiter.timer) clearTimeout(waiter.timer);
          this.running++;
          resolve(this.releaser());
        },
        expire: () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          this.notifyIdle();
          reject(new AxonRefusal(408, 'Request timed out while queued.'));
        },
        timer: undefined,
      };
      waiter.timer = setTimeout(waiter.expire, Math.max(0, deadlineMs - Date.now()));
      this.insert(waiter);
    });
  }

  /** Resolves when nothing runs and nothing waits. */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private insert(waiter: Waiter): void {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = this.queue[mid] as Waiter;
      const before =
        other.priority > waiter.priority ||
        (other.priority === waiter.priority && other.seq < waiter.seq);
      if (before) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, waiter);
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const next = this.queue.shift();
      if (next) next.start();
      else this.notifyIdle();
    };
  }

  private notifyIdle(): void {
    if (this.running !== 0 || this.queue.length !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

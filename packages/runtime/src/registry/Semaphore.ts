import { RegistryError } from './RegistryError';

/** A counting semaphore with a FIFO queue; waiters can give up through an AbortSignal. */
export class Semaphore {
  private available: number;
  private readonly waiters: { grant: () => void; reject: (e: unknown) => void }[] = [];

  constructor(readonly permits: number) {
    this.available = permits;
  }

  get queued(): number {
    return this.waiters.length;
  }

  get inUse(): number {
    return this.permits - this.available;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(aborted(signal));
    if (this.available > 0 && this.waiters.length === 0) {
      this.available--;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(aborted(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next.grant();
    else this.available = Math.min(this.permits, this.available + 1);
  }

  /** Fails every waiter, e.g. when the owner is disposed. */
  rejectAll(error: unknown): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }
}

function aborted(signal: AbortSignal): RegistryError {
  return new RegistryError('REGISTRY_ABORTED', 'gave up waiting for a model', {
    cause: signal.reason,
  });
}

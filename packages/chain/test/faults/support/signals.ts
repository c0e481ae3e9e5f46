/**
 * Values a test collects from callbacks (reconnect attempts, submissions), with a way to wait
 * until they satisfy a condition: tests wait for events, never for time.
 */
export class Signals<T> {
  readonly values: T[] = [];
  #waiters: { test: (values: readonly T[]) => boolean; resolve: () => void }[] = [];

  push(value: T): void {
    this.values.push(value);
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.test(this.values)) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves once `test` holds for the values collected so far (at once if it already does). */
  until(test: (values: readonly T[]) => boolean): Promise<void> {
    if (test(this.values)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }
}

import { HostError } from './HostError';

type Start = (onChunk: (chunk: unknown) => void, signal: AbortSignal) => Promise<unknown>;

/**
 * A streaming job's chunks as an async iterable, and its final value as `result`. Leaving
 * the loop early (break, return, a throw) cancels the job, as aborting `signal` does.
 */
export class HostStream<Chunk, Output> implements AsyncIterable<Chunk> {
  /** Settles with the job's final value once the last chunk has been read out. */
  readonly result: Promise<Output>;
  private readonly chunks: Chunk[] = [];
  private readonly stop = new AbortController();
  private wake: (() => void) | undefined;
  private ended = false;
  private failure: Error | undefined;
  private iterating = false;

  constructor(start: Start, signal: AbortSignal | undefined) {
    const combined = signal ? AbortSignal.any([signal, this.stop.signal]) : this.stop.signal;
    this.result = start((chunk) => {
      this.chunks.push(chunk as Chunk);
      this.notify();
    }, combined).then(
      (value) => {
        this.ended = true;
        this.notify();
        return value as Output;
      },
      (error: Error) => {
        this.ended = true;
        this.failure = error;
        this.notify();
        throw error;
      },
    );
    // The iterator reports failures; a caller that only iterates must not see them twice.
    this.result.catch(() => undefined);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Chunk, void, undefined> {
    if (this.iterating) {
      throw new HostError('HOST_INVALID_OPTIONS', 'A host stream can be iterated only once.');
    }
    this.iterating = true;
    try {
      for (;;) {
        const chunk = this.chunks.shift();
        if (chunk !== undefined) {
          yield chunk;
          continue;
        }
        if (this.ended) {
          if (this.failure) throw this.failure;
          return;
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      if (!this.ended)
        this.stop.abort(new HostError('HOST_JOB_ABORTED', 'The stream was closed early.'));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

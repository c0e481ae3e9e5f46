import { SignalError } from '@signal/core';

/** A file could not be replaced atomically; the old file, if any, is left as it was. */
export class AtomicWriteError extends SignalError<'FILE_WRITE_FAILED'> {
  override name = 'AtomicWriteError';
  readonly path: string;

  constructor(path: string, cause: unknown) {
    super('FILE_WRITE_FAILED', `Could not write ${path}.`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
    this.path = path;
  }
}

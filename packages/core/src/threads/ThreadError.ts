import { SignalError } from '../errors/SignalError';

export type ThreadErrorCode = 'THREAD_ENTRY_UNRESOLVED';

/** A worker thread cannot be started as asked (its entry cannot be loaded from here). */
export class ThreadError extends SignalError<ThreadErrorCode> {
  override name = 'ThreadError';
}

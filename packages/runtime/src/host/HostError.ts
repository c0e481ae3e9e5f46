import { SignalError, type SignalErrorOptions } from '@signal/core';

export type HostErrorCode =
  | 'HOST_INVALID_OPTIONS'
  | 'HOST_QUEUE_FULL'
  | 'HOST_JOB_ABORTED'
  | 'HOST_WORKER_CRASHED'
  | 'HOST_WORKER_START_FAILED'
  | 'HOST_UNKNOWN_JOB'
  | 'HOST_CLOSED';

/** The model host refused, dropped or lost a job (its own failures, not the job's). */
export class HostError extends SignalError<HostErrorCode> {
  override name = 'HostError';
}

/**
 * A lane's queue is full: the caller should come back later (an HTTP server answers 503
 * with `Retry-After: retryAfterSeconds`).
 */
export class HostQueueFullError extends HostError {
  override name = 'HostQueueFullError';

  constructor(
    readonly lane: string,
    readonly queued: number,
    /** When a slot is likely free again, from the lane's recent job durations. */
    readonly retryAfterSeconds: number,
    options: SignalErrorOptions = {},
  ) {
    super('HOST_QUEUE_FULL', `The queue for "${lane}" is full (${queued} waiting).`, {
      details: `retry after ${retryAfterSeconds} s`,
      ...options,
    });
  }
}

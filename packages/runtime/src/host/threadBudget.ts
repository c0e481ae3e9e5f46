import { availableParallelism } from 'node:os';
import { HostError } from './HostError';

/** How a host spends the cores it is given: `workers × intraOpThreads ≤ threads`. */
export interface ThreadBudget {
  /** Cores the operator gives the host (`--runtime.threads`). */
  readonly threads: number;
  /** Worker threads, each running one job at a time. */
  readonly workers: number;
  /** ONNX Runtime intra-op threads per worker's sessions. */
  readonly intraOpThreads: number;
}

export interface ThreadBudgetInput {
  /** Default: every core (`os.availableParallelism()`). */
  readonly threads?: number | undefined;
  /** Default 1. */
  readonly workers?: number | undefined;
  /** Default: the threads shared out evenly, `⌊threads / workers⌋`. */
  readonly intraOpThreads?: number | undefined;
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new HostError('HOST_INVALID_OPTIONS', `${name} must be a positive integer.`, {
      details: `got ${value}`,
    });
  }
  return value;
}

/** Fills in the defaults and refuses a plan that would run more threads than given. */
export function threadBudget(input: ThreadBudgetInput = {}): ThreadBudget {
  const threads = positive('threads', input.threads ?? availableParallelism());
  const workers = positive('workers', input.workers ?? 1);
  if (workers > threads) {
    throw new HostError('HOST_INVALID_OPTIONS', 'More workers than threads.', {
      details: `${workers} workers need at least ${workers} threads; the budget is ${threads}`,
    });
  }
  const intraOpThreads = positive(
    'intraOpThreads',
    input.intraOpThreads ?? Math.floor(threads / workers),
  );
  if (workers * intraOpThreads > threads) {
    throw new HostError('HOST_INVALID_OPTIONS', 'The thread budget is exceeded.', {
      details: `${workers} workers × ${intraOpThreads} intra-op threads = ${workers * intraOpThreads} > ${threads} threads`,
    });
  }
  return { threads, workers, intraOpThreads };
}

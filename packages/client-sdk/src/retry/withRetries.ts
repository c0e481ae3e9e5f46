import { ClientError } from '../errors/ClientError';
import { backoffDelay } from './backoffDelay';
import { sleep } from './sleep';

export interface RetryPolicy {
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface Attempt {
  /** 0 for the first try. */
  readonly index: number;
  /** Aborts at the call's deadline or when the caller aborts. */
  readonly signal: AbortSignal;
  /** Epoch milliseconds by which the whole call must end. */
  readonly deadline: number;
}

export interface RetryBudget {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly random?: () => number;
}

function aborted(cause: unknown): ClientError {
  return new ClientError('CLIENT_ABORTED', 'The condense call was aborted by the caller.', {
    cause,
  });
}

function timedOut(timeoutMs: number, attempts: number, cause: unknown): ClientError {
  return new ClientError('CLIENT_TIMEOUT', `No valid answer within ${timeoutMs} ms.`, {
    details: `${attempts} attempt(s) made${cause instanceof Error ? `; last: ${cause.message.split('\n')[0]}` : ''}`,
    cause,
    retryable: true,
  });
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the budget runs out. Only errors a
 * retry could fix (`ClientError.retryable`: timeouts, 5xx, refused connections) are retried,
 * after an exponential backoff; everything else — a 4xx, an invalid answer — is thrown at once.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  budget: RetryBudget,
  attempt: (context: Attempt) => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + budget.timeoutMs;
  const deadlineSignal = AbortSignal.timeout(budget.timeoutMs);
  const signal = budget.signal ? AbortSignal.any([deadlineSignal, budget.signal]) : deadlineSignal;
  let last: unknown;
  for (let index = 0; ; index++) {
    if (budget.signal?.aborted) throw aborted(budget.signal.reason);
    if (deadlineSignal.aborted) throw timedOut(budget.timeoutMs, index, last);
    try {
      return await attempt({ index, signal, deadline });
    } catch (error) {
      last = error;
      if (budget.signal?.aborted) throw aborted(error);
      if (deadlineSignal.aborted) throw timedOut(budget.timeoutMs, index + 1, error);
      if (!(error instanceof ClientError) || !error.retryable || index >= policy.retries) {
        throw error;
      }
      await sleep(
        backoffDelay(index, policy.baseDelayMs, policy.maxDelayMs, budget.random),
        signal,
      );
    }
  }
}

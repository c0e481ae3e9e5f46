import { ClientError } from '../errors/ClientError';
import { statusError } from '../errors/statusError';

/**
 * A failed dendrite call as a client error. The dendrite reports Python's statuses: 408 for
 * a timeout, 503 for an unreachable axon, 422 for an answer it could not parse.
 */
export function minerFailure(status: number, message: string, uid: number): ClientError {
  const where = `Miner ${uid}`;
  if (status === 422) {
    return new ClientError('CLIENT_INVALID_RESPONSE', `${where} sent an unparseable answer.`, {
      details: message,
      status,
    });
  }
  return statusError(status, message, where);
}

/**
 * One error for a hedged attempt in which every miner failed: retryable when any miner's
 * failure was, so the next attempt can move on to other miners; its code is the most common
 * one (ties: the first), and every miner's reason is listed.
 */
export function combineFailures(failures: readonly ClientError[]): ClientError {
  if (failures.length === 1) return failures[0]!;
  const counts = new Map<string, number>();
  for (const failure of failures) counts.set(failure.code, (counts.get(failure.code) ?? 0) + 1);
  const [code] = [...counts.entries()].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
  const first = failures.find((failure) => failure.code === code)!;
  return new ClientError(first.code, `All ${failures.length} miners asked failed.`, {
    metaMessages: failures.map((f) => `- ${f.shortMessage}${f.details ? ` (${f.details})` : ''}`),
    retryable: failures.some((f) => f.retryable),
    status: first.status,
    cause: first,
  });
}

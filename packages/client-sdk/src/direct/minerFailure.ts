import type { DendriteFailure, SynapseSpec } from '@signal/core';
import { ClientError } from '../errors/ClientError';
import { statusError } from '../errors/statusError';

/**
 * A failed dendrite call as a client error. A status the miner answered with is its own
 * refusal, passed on with its code (a 422 `MINER_TIER_LIMIT` is the miner turning the request
 * down, not a broken answer); a status the dendrite set says what happened on the way: 408 a
 * timeout, 503 an unreachable axon, 422 an answer it could not parse.
 */
export function minerFailure(
  failure: Pick<DendriteFailure<SynapseSpec>, 'status' | 'message' | 'answered' | 'code'>,
  uid: number,
): ClientError {
  const where = `Miner ${uid}`;
  const { status, message } = failure;
  if (!failure.answered && status === 422) {
    return new ClientError('CLIENT_INVALID_RESPONSE', `${where} sent an unparseable answer.`, {
      details: message,
      status,
    });
  }
  return statusError(status, message, where, failure.code);
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
    remoteCode: first.remoteCode,
    cause: first,
  });
}

import type { FailureKind } from '@signal/dashboard';
import type { Evaluation } from '../evaluate/Evaluation';
import type { QueryOutcome } from '../query/QueryOutcome';
import type { FrameQueryOutcome } from '../query/queryCondenseFrame';

/**
 * Why a request earned nothing, or null when it did not fail: a 408 is a timeout; an
 * unparseable answer (422), a 200 without a payload or a payload the evaluator refused is an
 * invalid payload; any other status (a refused connection, a blacklist, a full queue, a
 * miner error) is a refusal. A wrong answer is not a failure: it is scored.
 */
export function failureKind(
  outcome: QueryOutcome | FrameQueryOutcome,
  evaluation: Evaluation,
): FailureKind | null {
  if (!outcome.ok) {
    if (outcome.status === 408) return 'timeout';
    if (outcome.status === 422 || outcome.status === 200) return 'invalid_payload';
    return 'refused';
  }
  if (!evaluation.valid && evaluation.code !== 'UNSCORED') return 'invalid_payload';
  return null;
}

import { createHash } from 'node:crypto';
import { TaskSynthesisError } from './TaskSynthesisError';

export interface ScoredRequestParameters {
  /** The validator's secret seed for the epoch; without it the choice cannot be predicted. */
  seed: string;
  taskId: string;
  uid: number;
  /** Share of requests, in [0, 1], whose responses are not scored. */
  unscoredFraction: number;
}

/**
 * Whether the response to this (task, miner) request counts. Every request is sent and
 * evaluated alike; only this keyed hash decides, so a miner cannot tell which ones matter
 * and must answer all of them honestly.
 */
export function isScoredRequest({
  seed,
  taskId,
  uid,
  unscoredFraction,
}: ScoredRequestParameters): boolean {
  if (!(unscoredFraction >= 0 && unscoredFraction <= 1)) {
    throw new TaskSynthesisError('TASK_BAD_PARAMETERS', 'unscoredFraction must be in [0, 1].', {
      details: `unscoredFraction=${unscoredFraction}`,
    });
  }
  const digest = createHash('sha256')
    .update(['scored', seed, taskId, String(uid)].join('\u0000'))
    .digest();
  // 48 bits of the hash as a uniform number in [0, 1).
  const draw = digest.readUIntBE(0, 6) / 2 ** 48;
  return draw >= unscoredFraction;
}

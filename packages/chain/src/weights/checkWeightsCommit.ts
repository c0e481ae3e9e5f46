import { WeightsRejectedError } from '../errors/WeightsErrors';
import {
  checkWeights,
  type EmitWeights,
  type SetWeightsContext,
  type SetWeightsRequest,
} from './checkSetWeights';

/** The commit_reveal_version whose payload this client encrypts (`WeightsTlockPayload` with hotkey). */
export const TIMELOCK_COMMIT_VERSION = 4;

/** The pallet's cap on one hotkey's unrevealed commits in one epoch. */
export const MAX_UNREVEALED_COMMITS = 10;

export interface WeightsCommitContext extends SetWeightsContext {
  /** The chain's `CommitRevealWeightsVersion`. */
  commitRevealVersion: number;
  /** The caller's commits already filed under the epoch this commit would join. */
  unrevealedCommits: number;
}

/**
 * Applies `commit_timelocked_(mechanism_)weights`' admission rules (commit-reveal on, the
 * version this client encrypts for, registration, the commit rate limit, fewer than ten
 * unrevealed commits in the epoch), then the rules the weights must pass when the chain
 * reveals them, so a commit that could never apply is refused before it costs a fee.
 * Returns the u16 vector to encrypt.
 */
export function checkWeightsCommit(
  context: WeightsCommitContext,
  request: SetWeightsRequest,
): EmitWeights {
  const { hyperparameters: hp } = context;
  if (!hp.commitRevealWeightsEnabled) {
    throw new WeightsRejectedError(
      'CommitRevealDisabled',
      `Subnet ${hp.netuid} has commit-reveal off; weights are set with set_weights.`,
    );
  }
  if (context.commitRevealVersion !== TIMELOCK_COMMIT_VERSION) {
    throw new WeightsRejectedError(
      'IncorrectCommitRevealVersion',
      `The chain expects commit_reveal_version ${context.commitRevealVersion}; this client encrypts version ${TIMELOCK_COMMIT_VERSION} payloads.`,
    );
  }
  if (context.unrevealedCommits >= MAX_UNREVEALED_COMMITS) {
    throw new WeightsRejectedError(
      'TooManyUnrevealedCommits',
      `${context.unrevealedCommits} commits of this hotkey already wait in this epoch; the chain holds at most ${MAX_UNREVEALED_COMMITS}.`,
    );
  }
  return checkWeights(context, request, 'CommittingWeightsTooFast');
}

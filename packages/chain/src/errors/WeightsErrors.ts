import { SignalError } from '@signal/core';

/** Why a weight vector is refused before it reaches the chain. */
export type WeightsRejection =
  | 'SettingWeightsTooFast'
  | 'WeightVecNotEqualSize'
  | 'WeightVecLengthIsLow'
  | 'UidsLengthExceedUidsInSubNet'
  | 'UidVecContainInvalidOne'
  | 'DuplicateUids'
  | 'MaxWeightExceeded'
  | 'InvalidWeightValue'
  | 'IncorrectWeightVersionKey'
  | 'EmptyWeights'
  | 'NeuronNoValidatorPermit'
  | 'CommittingWeightsTooFast'
  | 'TooManyUnrevealedCommits'
  | 'IncorrectCommitRevealVersion'
  | 'CommitRevealDisabled';

/**
 * Weights refused by the same rules the runtime enforces. The reason names follow the
 * subtensor pallet's error names, so a local refusal and a chain refusal read alike.
 */
export class WeightsRejectedError extends SignalError<'WEIGHTS_REJECTED'> {
  override name = 'WeightsRejectedError';
  constructor(
    readonly reason: WeightsRejection,
    details: string,
  ) {
    super('WEIGHTS_REJECTED', `Weights refused: ${reason}`, { details });
  }
}

/** The subnet only accepts commit-reveal weights, which plain `setWeights` cannot send. */
export class CommitRevealRequiredError extends SignalError<'COMMIT_REVEAL_REQUIRED'> {
  override name = 'CommitRevealRequiredError';
  constructor(readonly netuid: number) {
    super('COMMIT_REVEAL_REQUIRED', `Subnet ${netuid} requires commit-reveal weights`, {
      details: 'CommitRevealWeightsEnabled is on; plain set_weights would be rejected.',
    });
  }
}

import { SignalError } from '@signal/core';

/** A metagraph view or limiter argument the policy cannot use (a caller's bug, not a refusal). */
export class PolicyInputError extends SignalError<'MINER_POLICY_INPUT'> {
  override name = 'PolicyInputError';

  constructor(shortMessage: string, details?: string) {
    super('MINER_POLICY_INPUT', shortMessage, { details });
  }
}

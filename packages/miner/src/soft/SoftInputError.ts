import { SignalError } from '@signal/core';

/** Embeddings or pooling options handed to the soft-token condenser that do not fit. */
export class SoftInputError extends SignalError<'MINER_SOFT_INPUT'> {
  override name = 'SoftInputError';

  constructor(shortMessage: string, details?: string) {
    super('MINER_SOFT_INPUT', shortMessage, { details });
  }
}

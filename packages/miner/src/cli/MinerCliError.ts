import { SignalError } from '@signal/core';

/** A `signal-miner` invocation that cannot run: a missing or malformed setting. */
export class MinerCliError extends SignalError<'MINER_CLI_USAGE'> {
  override name = 'MinerCliError';

  constructor(shortMessage: string, details?: string) {
    super('MINER_CLI_USAGE', shortMessage, { details });
  }
}

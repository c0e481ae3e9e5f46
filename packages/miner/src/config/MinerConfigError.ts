import { SignalError } from '@signal/core';

export type MinerConfigErrorCode =
  | 'MINER_CONFIG_NOT_FOUND'
  | 'MINER_CONFIG_UNREADABLE'
  | 'MINER_CONFIG_PARSE'
  | 'MINER_CONFIG_INVALID';

/** A miner config file that is missing, unreadable, not JSON/YAML, or fails the schema. */
export class MinerConfigError extends SignalError<MinerConfigErrorCode> {
  override name = 'MinerConfigError';
  /** The file (or source label) the problem is in. */
  readonly source: string;

  constructor(
    code: MinerConfigErrorCode,
    source: string,
    shortMessage: string,
    options: { details?: string; metaMessages?: readonly string[]; cause?: unknown } = {},
  ) {
    super(code, shortMessage, options);
    this.source = source;
  }
}

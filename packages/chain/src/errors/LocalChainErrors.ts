import { SignalError } from '@signal/core';

/** The LocalChain state file cannot be read, locked or written, or does not match the schema. */
export class LocalChainStateError extends SignalError<'LOCAL_CHAIN_STATE'> {
  override name = 'LocalChainStateError';
  constructor(
    readonly path: string,
    details: string,
    cause?: unknown,
    action: 'load' | 'save' = 'load',
  ) {
    super(
      'LOCAL_CHAIN_STATE',
      action === 'load'
        ? `Cannot load LocalChain state from ${path}`
        : `Cannot save LocalChain state to ${path}`,
      { details, cause },
    );
  }
}

/** A LocalChain operation that the chain rules forbid (unknown subnet, duplicate hotkey, …). */
export class LocalChainRuleError extends SignalError<'LOCAL_CHAIN_RULE'> {
  override name = 'LocalChainRuleError';
  constructor(shortMessage: string, details?: string) {
    super('LOCAL_CHAIN_RULE', shortMessage, { details });
  }
}

import { SignalError, type SignalErrorOptions } from '../errors/SignalError';

export const SYNAPSE_ERROR_CODES = ['SYNAPSE_UNKNOWN'] as const;

export type SynapseErrorCode = (typeof SYNAPSE_ERROR_CODES)[number];

export class SynapseError extends SignalError<SynapseErrorCode> {
  override name = 'SynapseError';

  constructor(code: SynapseErrorCode, shortMessage: string, options?: SignalErrorOptions) {
    super(code, shortMessage, options);
  }
}

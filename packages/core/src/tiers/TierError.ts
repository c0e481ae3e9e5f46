import { SignalError, type SignalErrorOptions } from '../errors/SignalError';

export const TIER_ERROR_CODES = [
  'TIER_CONFIG_INVALID',
  'TIER_UNKNOWN',
  'TIER_CONTEXT_TOO_LONG',
] as const;

export type TierErrorCode = (typeof TIER_ERROR_CODES)[number];

export class TierError extends SignalError<TierErrorCode> {
  override name = 'TierError';

  constructor(code: TierErrorCode, shortMessage: string, options?: SignalErrorOptions) {
    super(code, shortMessage, options);
  }
}

import { SignalError } from '@signal/core';

/** Why the miner turned a caller away; the HTTP status follows from the code. */
export const REFUSAL_STATUS = {
  MINER_UNREGISTERED_HOTKEY: 403,
  MINER_NO_VALIDATOR_PERMIT: 403,
  MINER_STAKE_TOO_LOW: 403,
  MINER_RATE_LIMITED: 429,
} as const;

export type RefusalCode = keyof typeof REFUSAL_STATUS;

/** A refusal the axon sends back: `status` for the HTTP answer, `shortMessage` as the reason. */
export class RequestRefusedError extends SignalError<RefusalCode> {
  override name = 'RequestRefusedError';
  readonly status: (typeof REFUSAL_STATUS)[RefusalCode];
  readonly hotkey: string;

  constructor(code: RefusalCode, hotkey: string, shortMessage: string, details?: string) {
    super(code, shortMessage, { details });
    this.status = REFUSAL_STATUS[code];
    this.hotkey = hotkey;
  }
}

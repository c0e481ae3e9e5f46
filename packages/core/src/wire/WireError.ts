import { SignalError, type SignalErrorOptions } from '../errors/SignalError';

/**
 * Every way the wire can refuse input. The codes are stable: peers receive them in
 * status messages and callers branch on them.
 */
export type WireErrorCode =
  | 'WIRE_TYPE_GRAMMAR'
  | 'WIRE_PY_VALUE'
  | 'WIRE_JSON'
  | 'WIRE_SCHEMA'
  | 'WIRE_HEADER'
  | 'WIRE_SIGNATURE'
  | 'WIRE_NONCE'
  | 'WIRE_VECTORS';

export class WireError extends SignalError<WireErrorCode> {
  override name = 'WireError';

  constructor(code: WireErrorCode, shortMessage: string, options: SignalErrorOptions = {}) {
    super(code, shortMessage, options);
  }
}

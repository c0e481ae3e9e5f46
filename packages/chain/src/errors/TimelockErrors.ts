import { SignalError } from '@signal/core';

export type TimelockErrorCode =
  /** The ciphertext (or a point in it) is truncated, has trailing bytes, or does not parse. */
  | 'TIMELOCK_MALFORMED'
  /** A beacon signature that is not a G1 point, or not the beacon's signature of the round. */
  | 'TIMELOCK_BAD_SIGNATURE'
  /** The signature does not open this ciphertext: another round's, or the header was altered. */
  | 'TIMELOCK_WRONG_ROUND'
  /** The AES-GCM body failed authentication: the body was altered. */
  | 'TIMELOCK_TAMPERED'
  /** The commit would exceed the chain's 5 000-byte bound. */
  | 'TIMELOCK_TOO_LARGE'
  /** The plaintext is not a SCALE `WeightsTlockPayload`, or its fields are out of range. */
  | 'TIMELOCK_PAYLOAD_INVALID';

/** A timelocked commit could not be built or opened; `code` says which step failed and why. */
export class TimelockError extends SignalError<TimelockErrorCode> {
  override name = 'TimelockError';
}

import { SignalError } from '@signal/core';

export type GatewayStoreErrorCode =
  /** The store cannot be reached right now (Redis down, a connection lost); retry later. */
  | 'GATEWAY_STORE_UNAVAILABLE'
  /** What the store holds does not parse: a corrupt file, a foreign key in Redis. */
  | 'GATEWAY_STORE_CORRUPT'
  /** Another gateway process already serves from this file store. */
  | 'GATEWAY_STORE_LOCKED'
  /** The store was given an unusable address (a bad Redis URL, say). */
  | 'GATEWAY_STORE_CONFIG';

/** The gateway's shared state failed; `GATEWAY_STORE_UNAVAILABLE` maps to HTTP 503. */
export class GatewayStoreError extends SignalError<GatewayStoreErrorCode> {
  override name = 'GatewayStoreError';

  get status(): number {
    return this.code === 'GATEWAY_STORE_UNAVAILABLE' ? 503 : 500;
  }
}

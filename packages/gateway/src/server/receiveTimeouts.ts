import { GatewaySettingsError } from '../errors/GatewaySettingsError';

/** node:http's slow-client limits, as `createServer` takes them. */
export interface ReceiveTimeouts {
  readonly headersTimeout: number;
  readonly requestTimeout: number;
  readonly connectionsCheckingInterval: number;
}

export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * How long a client may take to send its header block and its whole request before node:http
 * answers 408 and drops the connection (a slow-loris client holds it otherwise). The limits
 * are checked every `connectionsCheckingInterval`, a quarter of the header limit and at most
 * 1 s: node's default of 30 s would let a slow client stay that much longer than its limit.
 */
export function receiveTimeouts(settings: {
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}): ReceiveTimeouts {
  const headersTimeout = settings.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeout = settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  for (const [name, value] of [
    ['headersTimeoutMs', headersTimeout],
    ['requestTimeoutMs', requestTimeout],
  ] as const) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new GatewaySettingsError(
        'GATEWAY_SETTINGS_INVALID',
        `${name} must be a positive integer.`,
        { details: `got ${value}` },
      );
    }
  }
  if (requestTimeout < headersTimeout) {
    throw new GatewaySettingsError(
      'GATEWAY_SETTINGS_INVALID',
      'requestTimeoutMs cannot be below headersTimeoutMs.',
      { details: `got requestTimeoutMs ${requestTimeout}, headersTimeoutMs ${headersTimeout}` },
    );
  }
  return {
    headersTimeout,
    requestTimeout,
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))),
  };
}

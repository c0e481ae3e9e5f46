import { SignalError } from '@signal/core';

/** Bittensor's well-known networks, named as `--subtensor.network` accepts them. */
export const NETWORKS = {
  finney: 'wss://entrypoint-finney.opentensor.ai:443',
  test: 'wss://test.finney.opentensor.ai:443',
  local: 'ws://127.0.0.1:9944',
} as const;

export type NetworkName = keyof typeof NETWORKS;

export class UnknownNetworkError extends SignalError<'UNKNOWN_NETWORK'> {
  override name = 'UnknownNetworkError';
  constructor(network: string) {
    super('UNKNOWN_NETWORK', `Unknown subtensor network: ${network}`, {
      details: `Use one of ${Object.keys(NETWORKS).join(', ')}, or a ws:// or wss:// URL.`,
    });
  }
}

/** Resolves a network name or a ws(s):// URL to the endpoint URL. */
export function resolveNetworkUrl(network: string): string {
  if (/^wss?:\/\/\S+$/.test(network)) return network;
  if (Object.hasOwn(NETWORKS, network)) return NETWORKS[network as NetworkName];
  throw new UnknownNetworkError(network);
}

import type { TierConfig } from '@signal/core';
import type { Logger } from 'pino';
import type { CallerAuth } from '../auth/CallerAuth';
import type { CondensePolicyInput } from './CondensePolicy';
import type { Condenser } from './condenseParts';
import type { TokenCounter } from './countTokens';
import type { UpstreamClientOptions } from './UpstreamClient';

/**
 * Who may call the proxy and what the upstream sees: `keys` checks callers against a
 * gateway key file (the upstream gets `upstream.apiKey`), `passthrough` forwards the
 * caller's `Authorization` untouched (the upstream decides), `none` lets everyone in.
 */
export type ProxyAuth =
  | { mode: 'keys'; auth: CallerAuth }
  | { mode: 'passthrough' }
  | { mode: 'none' };

export interface StartProxyOptions {
  upstream: UpstreamClientOptions;
  /** The subnet (`SignalClient`); without one the proxy only forwards. */
  condenser?: Condenser | undefined;
  /** The tier table the subnet runs; default core's DEFAULT_TIERS. */
  tiers?: readonly TierConfig[];
  policy?: CondensePolicyInput;
  /** Budget for condensing one request before it is forwarded as sent. Default 10 000 ms. */
  condenseTimeoutMs?: number;
  /** Answer 502 instead of forwarding the original when condensing fails. */
  requireCondense?: boolean;
  /** Bytes of condensed pieces kept for reuse; 0 turns the cache off. Default 64 MiB. */
  cacheBytes?: number;
  auth?: ProxyAuth;
  /** How long parts are measured; default an estimate of four characters per token. */
  countTokens?: TokenCounter;
  /** Largest request body. Default 16 MiB. */
  maxBodyBytes?: number;
  host?: string;
  port?: number;
  logger?: Logger;
}

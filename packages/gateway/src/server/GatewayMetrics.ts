import { Counter, Gauge, Registry } from 'prom-client';

/**
 * The gateway's Prometheus metrics on a registry of their own (several gateways, or a
 * validator and its gateway, can share a process). Keys appear by id only, never a secret.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'signal_gateway_requests_total',
    help: 'Organic gateway requests, by HTTP status.',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly keyRequests = new Counter({
    name: 'signal_gateway_key_requests_total',
    help: 'Requests of each API key, by HTTP status class.',
    labelNames: ['key_id', 'class'] as const,
    registers: [this.registry],
  });
  readonly keyTokens = new Counter({
    name: 'signal_gateway_key_tokens_total',
    help: 'Tokens metered for each API key: context tokens in, condensed tokens out.',
    labelNames: ['key_id', 'direction'] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'signal_gateway_rate_limited_total',
    help: 'Requests refused by a limit of their API key.',
    labelNames: ['key_id', 'limit'] as const,
    registers: [this.registry],
  });
  readonly storeUp = new Gauge({
    name: 'signal_gateway_store_up',
    help: 'Whether the gateway store (file or Redis) is reachable.',
    registers: [this.registry],
  });
  readonly pendingSettlements = new Gauge({
    name: 'signal_gateway_pending_settlements',
    help: 'Usage records waiting for the store to come back.',
    registers: [this.registry],
  });
}

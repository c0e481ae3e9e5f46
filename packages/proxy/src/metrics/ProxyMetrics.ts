import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The proxy's Prometheus metrics, in its own registry (several proxies may share a process). */
export class ProxyMetrics {
  readonly registry = new Registry();

  /** `cache` is read at every scrape, so its gauges are current on any metrics port. */
  constructor(private readonly cache: { readonly size: number; readonly bytes: number }) {}

  readonly requests = new Counter({
    name: 'signal_proxy_requests_total',
    help: 'Requests by route and HTTP status.',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  readonly requestSeconds = new Histogram({
    name: 'signal_proxy_request_duration_seconds',
    help: 'Request duration by route (a streamed answer counts until its end).',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  readonly condense = new Counter({
    name: 'signal_proxy_condense_total',
    help: 'Chat requests by what the proxy did with them: condensed, cached, skipped (nothing long), fallback (forwarded as sent), refused (502).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly fallbacks = new Counter({
    name: 'signal_proxy_condense_fallbacks_total',
    help: 'Requests forwarded as sent because condensing failed, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly condenseSeconds = new Histogram({
    name: 'signal_proxy_condense_seconds',
    help: 'Time spent condensing the long parts of one request.',
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  readonly tokens = new Counter({
    name: 'signal_proxy_condensed_part_tokens_total',
    help: 'Tokens of the condensed long parts before (original) and after (condensed), as the miners counted them.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly cacheBytes: Gauge = new Gauge({
    name: 'signal_proxy_cache_bytes',
    help: 'Bytes held by the condensed-piece cache.',
    registers: [this.registry],
    collect: (): void => this.cacheBytes.set(this.cache.bytes),
  });
  readonly cacheEntries: Gauge = new Gauge({
    name: 'signal_proxy_cache_entries',
    help: 'Entries in the condensed-piece cache.',
    registers: [this.registry],
    collect: (): void => this.cacheEntries.set(this.cache.size),
  });
  readonly upstreamFailures = new Counter({
    name: 'signal_proxy_upstream_failures_total',
    help: 'Upstream requests that failed in transport (unreachable, timed out, broken stream).',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
}

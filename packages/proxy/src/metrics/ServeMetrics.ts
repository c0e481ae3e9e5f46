import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** `serve`'s Prometheus metrics, in its own registry. */
export class ServeMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'signal_serve_requests_total',
    help: 'Requests by route and HTTP status.',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  readonly promptTokens = new Counter({
    name: 'signal_serve_prompt_tokens_total',
    help: 'Prompt positions attended to (condensed context plus prompt tokens).',
    registers: [this.registry],
  });
  readonly completionTokens = new Counter({
    name: 'signal_serve_completion_tokens_total',
    help: 'Tokens generated.',
    registers: [this.registry],
  });
  readonly condensedRequests = new Counter({
    name: 'signal_serve_condensed_requests_total',
    help: 'Requests that continued from a signal_condensed payload, by format.',
    labelNames: ['format'] as const,
    registers: [this.registry],
  });
  readonly firstTokenSeconds = new Histogram({
    name: 'signal_serve_time_to_first_token_seconds',
    help: 'Time from the request to its first generated token.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  readonly active = new Gauge({
    name: 'signal_serve_active_generations',
    help: 'Generations running now.',
    registers: [this.registry],
  });
}

import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The validator's Prometheus metrics, on a registry of their own so several validators
 * (tests, a devnet) can live in one process without clashing on the global one.
 */
export class ValidatorMetrics {
  readonly registry = new Registry();
  readonly epochs = new Counter({
    name: 'signal_validator_epochs_total',
    help: 'Epochs run, by whether weights were set.',
    labelNames: ['weights_set'] as const,
    registers: [this.registry],
  });
  readonly requests = new Counter({
    name: 'signal_validator_requests_total',
    help: 'Condense requests sent to miners, by tier and outcome.',
    labelNames: ['tier', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly evaluationSeconds = new Histogram({
    name: 'signal_validator_evaluation_seconds',
    help: 'Time to evaluate one payload with the target model, by task family.',
    labelNames: ['family'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [this.registry],
  });
  readonly minerScore = new Gauge({
    name: 'signal_validator_miner_score',
    help: 'Moving score of each miner.',
    labelNames: ['uid', 'tier'] as const,
    registers: [this.registry],
  });
  readonly epochSeconds = new Histogram({
    name: 'signal_validator_epoch_seconds',
    help: 'Wall time of one epoch.',
    buckets: [1, 5, 15, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
}

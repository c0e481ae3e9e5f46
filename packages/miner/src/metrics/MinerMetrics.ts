import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CondenseTimings } from '../condensers/CondenseResult';

/** One miner's Prometheus metrics, in its own registry (several miners may share a process). */
export class MinerMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'signal_miner_requests_total',
    help: 'Axon requests by synapse and HTTP status.',
    labelNames: ['synapse', 'status'] as const,
    registers: [this.registry],
  });
  readonly requestSeconds = new Histogram({
    name: 'signal_miner_request_duration_seconds',
    help: 'Axon request duration by synapse.',
    labelNames: ['synapse'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
    registers: [this.registry],
  });
  readonly refusals = new Counter({
    name: 'signal_miner_refusals_total',
    help: 'Callers refused by the blacklist or rate limit, by reason.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly condenseSeconds = new Histogram({
    name: 'signal_miner_condense_phase_seconds',
    help: 'Time per Condense phase (prefill, scoring, gather, encode) by method.',
    labelNames: ['method', 'phase'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8],
    registers: [this.registry],
  });
  readonly compression = new Histogram({
    name: 'signal_miner_compression_rate',
    help: 'condensed_tokens / original_tokens of answered Condense requests.',
    labelNames: ['method'] as const,
    buckets: [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
    registers: [this.registry],
  });
  readonly generatedTokens = new Counter({
    name: 'signal_miner_generated_tokens_total',
    help: 'Tokens generated for Inference requests.',
    registers: [this.registry],
  });
  readonly metagraphBlock = new Gauge({
    name: 'signal_miner_metagraph_block',
    help: 'Block of the last metagraph the miner read.',
    registers: [this.registry],
  });

  observeCondense(method: string, timings: CondenseTimings, rate: number): void {
    this.condenseSeconds.observe({ method, phase: 'prefill' }, timings.prefillMs / 1000);
    this.condenseSeconds.observe({ method, phase: 'scoring' }, timings.scoringMs / 1000);
    this.condenseSeconds.observe({ method, phase: 'gather' }, timings.gatherMs / 1000);
    this.condenseSeconds.observe({ method, phase: 'encode' }, timings.encodeMs / 1000);
    this.compression.observe({ method }, rate);
  }
}

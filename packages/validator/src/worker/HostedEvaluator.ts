import type { ModelGeometry } from '@signal/core';
import { ModelHost, type ThreadBudgetInput, type WorkerModule } from '@signal/runtime';
import { EvaluateError } from '../evaluate/EvaluateError';
import type { Evaluation } from '../evaluate/Evaluation';
import type { EvaluationService } from '../evaluate/EvaluationService';
import type { EvaluateOrganicParameters, EvaluateParameters } from '../evaluate/Evaluator';
import type { ValidatorJobs, ValidatorWorkerInit } from './ValidatorJobs';
import { validatorWorkerModule } from './validatorWorkerModule';

export interface HostedEvaluatorOptions extends ValidatorWorkerInit, ThreadBudgetInput {
  /** Evaluations that may wait per model (default 256: an epoch queues many at once). */
  readonly queueSize?: number;
  readonly onEvent?: Parameters<typeof ModelHost.start>[0]['onEvent'];
}

/**
 * The validator's evaluation, run by its model host: the same methods as `Evaluator`, but
 * every model call happens in a worker thread, so the gateway and the loop keep answering
 * while payloads are scored. Jobs for one model share its queue.
 */
export class HostedEvaluator implements EvaluationService {
  private referenceEpoch = 0;

  private constructor(
    private readonly host: ModelHost<ValidatorJobs>,
    private readonly models: Readonly<Record<string, string>>,
  ) {}

  static async start(options: HostedEvaluatorOptions): Promise<HostedEvaluator> {
    const { threads, workers, intraOpThreads, queueSize, onEvent, ...init } = options;
    const module: WorkerModule<ValidatorWorkerInit> = validatorWorkerModule(init);
    const host = await ModelHost.start<ValidatorJobs, ValidatorWorkerInit>({
      module,
      threads,
      workers,
      intraOpThreads,
      queueSize: queueSize ?? 256,
      name: 'signal-validator-eval',
      ...(onEvent ? { onEvent } : {}),
    });
    return new HostedEvaluator(host, init.models);
  }

  /** The host's workers and queues now. */
  stats() {
    return this.host.stats();
  }

  hasModel(name: string): boolean {
    return Object.hasOwn(this.models, name);
  }

  geometry(model: string): Promise<ModelGeometry> {
    return this.run(model, () => this.host.run('geometry', { model }, { lane: model }));
  }

  countTokens(model: string, text: string): Promise<number> {
    return this.run(model, () => this.host.run('countTokens', { model, text }, { lane: model }));
  }

  evaluate(parameters: EvaluateParameters): Promise<Evaluation> {
    return this.run(parameters.model, () =>
      this.host.run(
        'evaluate',
        { ...parameters, referenceEpoch: this.referenceEpoch },
        { lane: parameters.model },
      ),
    );
  }

  evaluateOrganic(parameters: EvaluateOrganicParameters): Promise<Evaluation> {
    return this.run(parameters.model, () =>
      this.host.run('evaluateOrganic', parameters, { lane: parameters.model }),
    );
  }

  clearReferences(): void {
    this.referenceEpoch++;
  }

  close(): Promise<void> {
    return this.host.close();
  }

  /** Refuses an unknown model here, as `Evaluator` does, without a trip to a worker. */
  private run<T>(model: string, job: () => Promise<T>): Promise<T> {
    if (!this.hasModel(model)) {
      return Promise.reject(
        new EvaluateError('EVAL_MODEL_UNKNOWN', `No local directory for model "${model}".`, {
          details: `configured models: ${Object.keys(this.models).join(', ') || '(none)'}`,
        }),
      );
    }
    return job();
  }
}

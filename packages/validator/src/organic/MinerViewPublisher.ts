import type { ModelGeometry, TierConfig } from '@signal/core';
import type { GatewayStore } from '@signal/gateway';
import type { Logger } from 'pino';
import type { EvaluationService } from '../evaluate/EvaluationService';
import type { MinerDirectory } from '../loop/MinerDirectory';
import type { ScoreStateStore } from '../state/ScoreStateStore';
import { buildMinerView } from './buildMinerView';

export interface MinerViewPublisherOptions {
  store: GatewayStore;
  netuid: number;
  validatorHotkey: string;
  tiers: readonly TierConfig[];
  evaluator: Pick<EvaluationService, 'hasModel' | 'geometry'>;
  /** The models this validator evaluates with, whose shapes its gateways check payloads by. */
  models: readonly string[];
  scores: ScoreStateStore;
  directory: MinerDirectory;
  logger: Logger;
}

/**
 * Publishes the validator's miner view into the gateway store after each sync and epoch,
 * for every gateway replica. A store outage is logged, never thrown: the epoch goes on
 * and the next publication catches up.
 */
export class MinerViewPublisher {
  readonly #options: MinerViewPublisherOptions;
  #geometries: Record<string, ModelGeometry> | undefined;

  constructor(options: MinerViewPublisherOptions) {
    this.#options = options;
  }

  async #modelGeometries(): Promise<Record<string, ModelGeometry>> {
    if (this.#geometries) return this.#geometries;
    const geometries: Record<string, ModelGeometry> = {};
    for (const model of this.#options.models) {
      try {
        geometries[model] = await this.#options.evaluator.geometry(model);
      } catch (error) {
        this.#options.logger.warn({ err: error, model }, 'no geometry to publish for a model');
      }
    }
    this.#geometries = geometries;
    return geometries;
  }

  async publish(): Promise<void> {
    const { directory, evaluator } = this.#options;
    const metagraph = directory.metagraph;
    if (!metagraph) return;
    try {
      await this.#options.store.publishMinerView(
        buildMinerView({
          netuid: this.#options.netuid,
          validatorHotkey: this.#options.validatorHotkey,
          tiers: this.#options.tiers,
          metagraph,
          miners: directory.all(),
          state: this.#options.scores.state,
          canEvaluate: (model) => evaluator.hasModel(model),
          geometries: await this.#modelGeometries(),
        }),
      );
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'miner view not published to the gateway store');
    }
  }
}

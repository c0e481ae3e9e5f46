import type { ChainClient, SetWeightsParameters } from '@signal/chain';
import type { Dendrite, TierConfig } from '@signal/core';
import type { Logger } from 'pino';
import type { EvaluationService } from '../evaluate/EvaluationService';
import type { HistoryStore } from '../history/HistoryStore';
import type { ValidatorMetrics } from '../metrics/ValidatorMetrics';
import type { ScoreStateStore } from '../state/ScoreStateStore';
import type { RecallVocabulary } from '../tasks/RecallVocabulary';
import type { TaskFamily } from '../tasks/Task';
import type { MinerDirectory } from './MinerDirectory';

/** Everything one epoch needs; built once by `startValidator`. */
export interface EpochContext {
  chain: ChainClient;
  netuid: number;
  hotkey: SetWeightsParameters['signer'];
  tiers: readonly TierConfig[];
  dendrite: Dendrite;
  evaluator: EvaluationService;
  store: ScoreStateStore;
  /** Per-miner epochs and recent evaluations, for the dashboard. */
  history: HistoryStore;
  directory: MinerDirectory;
  logger: Logger;
  metrics: ValidatorMetrics;
  /** Aborted by `close()`: the epoch stops between requests and keeps what it scored. */
  signal: AbortSignal;
  settings: {
    /** Secret behind every epoch's task seed. */
    secret: string;
    tasksPerMiner: number | undefined;
    /** Families for every tier, unless `tierFamilies` names the tier (see `familiesForTier`). */
    families: readonly TaskFamily[] | undefined;
    tierFamilies: Readonly<Record<string, readonly TaskFamily[]>> | undefined;
    unscoredFraction: number;
    /** Miners queried at once with the same task. */
    batchSize: number;
    versionKey: number;
    metadataTimeoutSeconds: number;
    /** The reference vocabulary, when a tier deals a reference family. */
    recall?: { vocabulary: RecallVocabulary; pairs: number } | undefined;
  };
}

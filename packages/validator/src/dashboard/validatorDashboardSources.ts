import type { ChainClient } from '@signal/chain';
import {
  chainSubnetSource,
  type DashboardSources,
  type GatewayView,
  leaderboardQualitySource,
  type QualitySample,
  qualityFromEvaluations,
} from '@signal/dashboard';
import type { HistoryStore } from '../history/HistoryStore';
import type { ScoreStateStore } from '../state/ScoreStateStore';
import { minerDetailView, minersView } from './minersView';

export interface ValidatorDashboardParameters {
  chain: ChainClient;
  netuid: number;
  hotkey: string;
  history: HistoryStore;
  store: ScoreStateStore;
  /** A `signal leaderboard --json` file for the Quality page, instead of our own evaluations. */
  leaderboardFile?: string;
  /** The Gateway page, when a gateway runs in this process. */
  gateway?: () => Promise<GatewayView>;
}

/** Every recent valid evaluation as a quality point: method, ratio removed, accuracy. */
export function qualitySamples(history: HistoryStore): QualitySample[] {
  return history.miners().flatMap((miner) =>
    miner.evaluations.flatMap((row) =>
      row.outcome === 'scored' && row.accuracy !== null && row.compression !== null
        ? [
            {
              family: row.family,
              method: row.method ?? 'unknown',
              ratio: row.compression,
              accuracy: row.accuracy,
            },
          ]
        : [],
    ),
  );
}

/** The dashboard's sources as a validator has them: chain, history, moving scores. */
export function validatorDashboardSources(
  parameters: ValidatorDashboardParameters,
): DashboardSources {
  const { history, store } = parameters;
  return {
    role: 'validator',
    netuid: parameters.netuid,
    hotkey: parameters.hotkey,
    subnet: chainSubnetSource(parameters.chain, parameters.netuid),
    miners: async () => minersView(history, store.state),
    minerDetail: async (uid) => minerDetailView(history, store.state, uid),
    quality:
      parameters.leaderboardFile === undefined
        ? async () => qualityFromEvaluations(qualitySamples(history))
        : leaderboardQualitySource(parameters.leaderboardFile),
    ...(parameters.gateway ? { gateway: parameters.gateway } : {}),
  };
}

import type { Metagraph } from '@signal/chain';
import type { ModelGeometry, TierConfig } from '@signal/core';
import { MINER_VIEW_SCHEMA_VERSION, type MinerView } from '@signal/gateway';
import { tierModel } from '../loop/tierModel';
import type { MinerTarget } from '../query/MinerTarget';
import type { ScoreState } from '../state/ScoreState';
import { computeWeights } from '../weights/computeWeights';

export interface BuildMinerViewParameters {
  netuid: number;
  validatorHotkey: string;
  tiers: readonly TierConfig[];
  metagraph: Metagraph;
  miners: readonly MinerTarget[];
  state: ScoreState;
  /** Whether this validator can evaluate a model (so its gateways default to it). */
  canEvaluate: (model: string) => boolean;
  geometries: Readonly<Record<string, ModelGeometry>>;
  now?: number;
}

/**
 * What this validator tells its gateways: the tier table, the miners of the last sync with
 * the moving score and weight each has now (a score earned under another hotkey or tier
 * does not carry over), each tier's default model, and the shapes of the models it holds.
 */
export function buildMinerView(parameters: BuildMinerViewParameters): MinerView {
  const { tiers, metagraph, state } = parameters;
  const weights = computeWeights(state, metagraph, tiers);
  const weightOf = new Map(weights.uids.map((uid, i) => [uid, weights.weights[i]!]));
  const scoreOf = new Map(state.miners.map((miner) => [miner.uid, miner]));
  const defaultModels: Record<string, string> = {};
  for (const tier of tiers) {
    defaultModels[tier.name] = tierModel(tier, parameters.canEvaluate) ?? tier.supportingModels[0]!;
  }
  return {
    schemaVersion: MINER_VIEW_SCHEMA_VERSION,
    netuid: parameters.netuid,
    block: metagraph.block,
    publishedAt: parameters.now ?? Date.now(),
    validatorHotkey: parameters.validatorHotkey,
    tiers: [...tiers],
    defaultModels,
    geometries: Object.fromEntries(
      Object.entries(parameters.geometries).map(([model, geometry]) => [
        model,
        Object.fromEntries(Object.entries(geometry).filter(([, value]) => value !== undefined)),
      ]),
    ),
    miners: parameters.miners.map((miner) => {
      const scored = scoreOf.get(miner.uid);
      const current = scored && scored.hotkey === miner.hotkey && scored.tier === miner.tier;
      return {
        uid: miner.uid,
        hotkey: miner.hotkey,
        axon: { ip: miner.axon.ip, port: miner.axon.port, hotkey: miner.axon.hotkey },
        tier: miner.tier,
        models: [...miner.models],
        methods: [...miner.methods],
        score: current ? scored.score : 0,
        weight: weightOf.get(miner.uid) ?? 0,
        latencyMs: current ? scored.lastLatencyMs : null,
      };
    }),
  };
}

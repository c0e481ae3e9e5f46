import type { NeuronInfo } from '@signal/chain';
import { type TierConfig, tierWeights } from '@signal/core';
import type { ScoreState } from '../state/ScoreState';

export interface ComputedWeights {
  uids: number[];
  /** Raw weights: within each tier `S/ΣS`, times the tier's incentive. */
  weights: number[];
}

/**
 * Weights from the moving scores of the miners the metagraph still holds under the same
 * hotkey, in tiers we know. Miners absent from the state weigh nothing.
 */
export function computeWeights(
  state: ScoreState,
  metagraph: { readonly neurons: readonly Pick<NeuronInfo, 'uid' | 'hotkey'>[] },
  tiers: readonly TierConfig[],
): ComputedWeights {
  const hotkeys = new Map(metagraph.neurons.map((neuron) => [neuron.uid, neuron.hotkey]));
  const known = new Set(tiers.map((tier) => tier.name));
  const scores = state.miners.filter(
    (miner) => hotkeys.get(miner.uid) === miner.hotkey && known.has(miner.tier),
  );
  if (scores.length === 0) return { uids: [], weights: [] };
  return tierWeights(scores, tiers);
}

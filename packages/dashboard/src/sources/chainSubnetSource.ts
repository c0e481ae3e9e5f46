import { type ChainClient, RAO_PER_TAO } from '@signal/chain';
import type { SubnetView } from '../api/SubnetView';

/** Rao to TAO as a float, exact to the displayed digits (stakes stay well below 2^53 rao per TAO unit). */
function tao(rao: bigint): number {
  return Number(rao / RAO_PER_TAO) + Number(rao % RAO_PER_TAO) / Number(RAO_PER_TAO);
}

/**
 * The Subnet page from any `ChainClient`: the metagraph, tempo and commit-reveal state read
 * at the head. The chain is read again only when its block moved since the last read, so
 * many viewers cost one metagraph read per block.
 */
export function chainSubnetSource(chain: ChainClient, netuid: number): () => Promise<SubnetView> {
  let last: { block: number; view: SubnetView } | undefined;
  return async () => {
    const block = await chain.currentBlock();
    if (last && last.block === block) return last.view;
    const [metagraph, hyperparameters, commitReveal] = await Promise.all([
      chain.metagraph(netuid),
      chain.hyperparameters(netuid),
      chain.commitRevealState(netuid),
    ]);
    const uidOf = new Map(metagraph.neurons.map((neuron) => [neuron.hotkey, neuron.uid]));
    const view: SubnetView = {
      netuid,
      block: metagraph.block,
      tempo: hyperparameters.tempo,
      neurons: metagraph.neurons.map((neuron) => ({
        uid: neuron.uid,
        hotkey: neuron.hotkey,
        stake_tao: tao(neuron.stake.total),
        stake_rao: neuron.stake.total.toString(),
        trust: neuron.trust,
        consensus: neuron.consensus,
        incentive: neuron.incentive,
        dividends: neuron.dividends,
        emission_tao: tao(neuron.emission),
        validator_permit: neuron.validatorPermit,
        active: neuron.active,
        axon:
          neuron.axon.port === 0 && neuron.axon.ip === '0.0.0.0'
            ? null
            : { ip: neuron.axon.ip, port: neuron.axon.port },
        last_update: neuron.lastUpdate,
      })),
      commit_reveal: {
        enabled: hyperparameters.commitRevealWeightsEnabled,
        reveal_period_epochs: commitReveal.revealPeriodEpochs,
        epoch: commitReveal.epoch,
        last_stored_round: commitReveal.lastStoredRound,
        pending: commitReveal.commits.map((commit) => ({
          hotkey: commit.hotkey,
          uid: uidOf.get(commit.hotkey) ?? null,
          epoch: commit.epoch,
          reveal_epoch: commit.epoch + commitReveal.revealPeriodEpochs,
          reveal_round: commit.revealRound,
          block: commit.block,
          commit_hash: commit.commitHash,
        })),
        reveals:
          commitReveal.reveals?.map((reveal) => ({
            hotkey: reveal.hotkey,
            epoch: reveal.epoch,
            block: reveal.block,
            outcome: reveal.outcome,
            reason: reveal.reason ?? null,
          })) ?? null,
      },
      generated_at: Date.now(),
    };
    last = { block, view };
    return view;
  };
}

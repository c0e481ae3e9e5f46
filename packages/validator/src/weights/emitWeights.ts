import type { ChainClient, Metagraph, SetWeightsParameters } from '@signal/chain';
import { isSignalError } from '@signal/core';
import type { ScoreStateStore } from '../state/ScoreStateStore';
import type { ComputedWeights } from './computeWeights';
import type { WeightsOutcome } from './WeightsOutcome';

export interface EmitWeightsParameters {
  chain: ChainClient;
  netuid: number;
  signer: SetWeightsParameters['signer'];
  versionKey: number | bigint;
  metagraph: Pick<Metagraph, 'neurons'>;
  computed: ComputedWeights;
  /** Where commits are recorded, so none is sent twice for one epoch. */
  store: Pick<ScoreStateStore, 'commits' | 'recordCommit' | 'save'>;
}

function describe(error: unknown): string {
  if (isSignalError(error)) {
    return `${error.code}: ${error.shortMessage}${error.details ? ` (${error.details})` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sends the weights when the subnet's rate limit allows: set in the clear, or committed
 * timelocked when the subnet has commit-reveal on (the chain decides; see `setWeights`).
 * A commit is recorded in the state file at once, and no second commit is sent for an
 * epoch already committed to: by the state file, or by the chain's own pending commits of
 * this hotkey (a commit that landed while its answer was lost, or before a crash, is not in
 * the file). Every refusal or failure comes back as an outcome, never a
 * throw: the loop logs it and tries again next epoch.
 */
export async function emitWeights({
  chain,
  netuid,
  signer,
  versionKey,
  metagraph,
  computed,
  store,
}: EmitWeightsParameters): Promise<WeightsOutcome> {
  const self = metagraph.neurons.find((neuron) => neuron.hotkey === signer.address);
  if (!self) {
    return {
      set: false,
      reason: 'not_registered',
      message: `hotkey ${signer.address} holds no uid on subnet ${netuid}`,
    };
  }
  if (!computed.weights.some((weight) => weight > 0)) {
    return { set: false, reason: 'no_weights', message: 'every miner scores 0; nothing to set' };
  }
  try {
    const [hyperparameters, block] = await Promise.all([
      chain.hyperparameters(netuid),
      chain.currentBlock(),
    ]);
    const since = block - self.lastUpdate;
    if (self.lastUpdate > 0 && since < hyperparameters.weightsRateLimit) {
      return {
        set: false,
        reason: 'rate_limited',
        message: `last update at block ${self.lastUpdate}; the rate limit needs ${hyperparameters.weightsRateLimit - since} more blocks`,
      };
    }
    if (hyperparameters.commitRevealWeightsEnabled) {
      const { commitEpoch, commits } = await chain.commitRevealState(netuid);
      const already =
        store.commits.find((c) => c.netuid === netuid && c.epoch === commitEpoch) ??
        commits.find((c) => c.hotkey === signer.address && c.epoch === commitEpoch);
      if (already) {
        return {
          set: false,
          reason: 'already_committed',
          message: `weights for epoch ${commitEpoch} were committed at block ${already.block}; the next commit waits for epoch ${commitEpoch + 1}`,
        };
      }
    }
    const result = await chain.setWeights({
      netuid,
      uids: computed.uids,
      weights: computed.weights,
      versionKey,
      signer,
    });
    if (result.path === 'set_weights') {
      return {
        set: true,
        path: 'set_weights',
        block: result.block,
        uids: result.uids,
        weights: result.weights,
      };
    }
    store.recordCommit({
      netuid,
      epoch: result.commit.epoch,
      revealEpoch: result.commit.revealEpoch,
      revealRound: result.commit.revealRound,
      block: result.block,
      commitHash: result.commit.commitHash,
      uids: result.uids,
      weights: result.weights,
      versionKey: BigInt(versionKey).toString(),
      committedAt: Date.now(),
      status: 'pending',
      checkedAtBlock: null,
    });
    await store.save();
    return {
      set: true,
      path: 'commit',
      block: result.block,
      uids: result.uids,
      weights: result.weights,
      commit: result.commit,
    };
  } catch (error) {
    return { set: false, reason: 'failed', message: describe(error) };
  }
}

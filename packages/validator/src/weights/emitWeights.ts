import type { ChainClient, Metagraph, SetWeightsParameters } from '@signal/chain';
import { isSignalError } from '@signal/core';
import type { ComputedWeights } from './computeWeights';
import type { WeightsOutcome } from './WeightsOutcome';

export interface EmitWeightsParameters {
  chain: ChainClient;
  netuid: number;
  signer: SetWeightsParameters['signer'];
  versionKey: number | bigint;
  metagraph: Pick<Metagraph, 'neurons'>;
  computed: ComputedWeights;
}

/**
 * Sends the weights when the subnet's rate limit allows. Every refusal or failure comes
 * back as an outcome, never a throw: the loop logs it and tries again next epoch.
 */
export async function emitWeights({
  chain,
  netuid,
  signer,
  versionKey,
  metagraph,
  computed,
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
    const result = await chain.setWeights({
      netuid,
      uids: computed.uids,
      weights: computed.weights,
      versionKey,
      signer,
    });
    return { set: true, block: result.block, uids: result.uids, weights: result.weights };
  } catch (error) {
    const message = isSignalError(error)
      ? `${error.code}: ${error.shortMessage}${error.details ? ` (${error.details})` : ''}`
      : error instanceof Error
        ? error.message
        : String(error);
    return { set: false, reason: 'failed', message };
  }
}

import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { bool, u16, u64, Vec } from '@polkadot/types';
import type { SetWeightsParameters, SetWeightsResult } from '../ChainClient';
import { queryStorage } from '../subtensor/queryStorage';
import { resolveBlock } from '../subtensor/resolveBlock';
import type { SubtensorContext } from '../subtensor/SubtensorContext';
import { submitExtrinsic } from '../subtensor/submitExtrinsic';
import { subtensorTx } from '../subtensor/subtensorTx';
import { checkSetWeights, type EmitWeights } from '../weights/checkSetWeights';
import { getHyperparameters } from './getHyperparameters';
import { getUidOf } from './getRegistration';

/** `SubtensorModule.set_weights(netuid, dests, weights, version_key)` with already-emitted u16 values. */
export function buildSetWeightsExtrinsic(
  context: SubtensorContext,
  netuid: number,
  emit: EmitWeights,
  versionKey: bigint | number,
): SubmittableExtrinsic<'promise'> {
  return subtensorTx(context, 'setWeights', [netuid, emit.uids, emit.weights, BigInt(versionKey)]);
}

/**
 * Sets the signer's weights on a subnet. The runtime's admission rules run first against
 * live state (rate limit, min/max weights, version key, commit-reveal), so a doomed call is
 * refused with a typed error before it costs a fee; then it waits for inclusion.
 */
export async function setWeights(
  context: SubtensorContext,
  parameters: SetWeightsParameters,
  inclusionTimeoutMs: number,
): Promise<SetWeightsResult> {
  const { netuid, signer } = parameters;
  const head = await resolveBlock(context);
  const [hyperparameters, callerUid, n, lastUpdates, permits] = await Promise.all([
    getHyperparameters(context, netuid, head.hash),
    getUidOf(context, netuid, signer.address, head.hash),
    queryStorage(context, 'subtensorModule', 'subnetworkN', [netuid], head.hash) as Promise<u16>,
    queryStorage(context, 'subtensorModule', 'lastUpdate', [netuid], head.hash) as Promise<
      Vec<u64>
    >,
    queryStorage(context, 'subtensorModule', 'validatorPermit', [netuid], head.hash) as Promise<
      Vec<bool>
    >,
  ]);
  const currentBlock = head.number;
  const lastUpdate = callerUid === null ? 0 : (lastUpdates[callerUid]?.toNumber() ?? 0);
  const hasValidatorPermit = callerUid === null ? false : (permits[callerUid]?.isTrue ?? false);
  const emit = checkSetWeights(
    {
      hyperparameters,
      n: n.toNumber(),
      hotkey: signer.address,
      callerUid,
      hasValidatorPermit,
      lastUpdate,
      currentBlock,
    },
    parameters,
  );
  const extrinsic = buildSetWeightsExtrinsic(context, netuid, emit, parameters.versionKey);
  const inclusion = await submitExtrinsic(context, extrinsic, signer, inclusionTimeoutMs);
  return { ...emit, block: inclusion.blockNumber };
}

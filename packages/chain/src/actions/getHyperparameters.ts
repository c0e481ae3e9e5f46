import type { Option } from '@polkadot/types';
import type { Hyperparameters } from '../ChainClient';
import { SubnetNotFoundError } from '../errors/ChainErrors';
import type { SubnetHyperparamsCodec } from '../subtensor/codecs';
import { resolveBlock } from '../subtensor/resolveBlock';
import { runtimeCall } from '../subtensor/runtimeCall';
import type { SubtensorContext } from '../subtensor/SubtensorContext';

/** Whether the runtime's metadata lists `SubnetInfoRuntimeApi.<method>`. */
function runtimeHasApi(context: SubtensorContext, method: string): boolean {
  return (
    context.api.runtimeMetadata.asLatest.apis
      .find((api) => api.name.toString() === 'SubnetInfoRuntimeApi')
      ?.methods.some((entry) => entry.name.toString() === method) ?? false
  );
}

/**
 * Reads a subnet's hyperparameters through `SubnetInfoRuntimeApi_get_subnet_hyperparams_v2`
 * where the runtime has it, else through `get_subnet_hyperparams`; both carry the fields
 * read here.
 */
export async function getHyperparameters(
  context: SubtensorContext,
  netuid: number,
  blockHash?: string,
): Promise<Hyperparameters> {
  const at = blockHash ?? (await resolveBlock(context)).hash;
  const codec = (await runtimeCall(
    context,
    'subnetInfoRuntimeApi',
    runtimeHasApi(context, 'get_subnet_hyperparams_v2')
      ? 'getSubnetHyperparamsV2'
      : 'getSubnetHyperparams',
    [netuid],
    at,
  )) as Option<SubnetHyperparamsCodec>;
  if (codec.isNone) throw new SubnetNotFoundError(netuid);
  const hp = codec.unwrap();
  return {
    netuid,
    tempo: hp.tempo.toNumber(),
    immunityPeriod: hp.immunityPeriod.toNumber(),
    minAllowedWeights: hp.minAllowedWeights.toNumber(),
    maxWeightsLimit: hp.maxWeightsLimit.toNumber(),
    weightsRateLimit: hp.weightsRateLimit.toNumber(),
    weightsVersion: hp.weightsVersion.toBigInt(),
    commitRevealWeightsEnabled: hp.commitRevealWeightsEnabled.isTrue,
    commitRevealPeriod: hp.commitRevealPeriod.toNumber(),
    maxValidators: hp.maxValidators.toNumber(),
    activityCutoff: hp.activityCutoff.toNumber(),
    registrationAllowed: hp.registrationAllowed.isTrue,
    servingRateLimit: hp.servingRateLimit.toNumber(),
  };
}

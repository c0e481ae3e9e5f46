import { u8aToHex } from '@polkadot/util';
import { decodeMetagraph } from '../metagraph/decodeMetagraph';
import type { Metagraph } from '../metagraph/Metagraph';
import { chainCall } from '../subtensor/chainCall';
import { resolveBlock } from '../subtensor/resolveBlock';
import type { SubtensorContext } from '../subtensor/SubtensorContext';

export interface GetMetagraphParameters {
  netuid: number;
  /** Read at this block; the head when omitted. */
  blockHash?: string;
}

/** The raw SCALE answer of a runtime API taking the netuid, at `blockHash`. */
async function callWithNetuid(
  context: SubtensorContext,
  method: string,
  netuid: number,
  blockHash: string,
): Promise<Uint8Array> {
  const { api, timeoutMs } = context;
  const argument = u8aToHex(api.registry.createType('u16', netuid).toU8a());
  const raw = await chainCall(api.rpc.state.call(method, argument, blockHash), timeoutMs, method);
  return raw.toU8a(true);
}

/**
 * Reads a subnet's metagraph at one block: identities, axons and uids from
 * `NeuronInfoRuntimeApi_get_neurons_lite`, stakes and scores from
 * `SubnetInfoRuntimeApi_get_subnet_state` (which reports alpha, tao and total stake),
 * decoded by decodeMetagraph.
 */
export async function getMetagraph(
  context: SubtensorContext,
  parameters: GetMetagraphParameters,
): Promise<Metagraph> {
  const { netuid } = parameters;
  const block = await resolveBlock(context, parameters.blockHash);
  const [neuronsLite, subnetState] = await Promise.all([
    callWithNetuid(context, 'NeuronInfoRuntimeApi_get_neurons_lite', netuid, block.hash),
    callWithNetuid(context, 'SubnetInfoRuntimeApi_get_subnet_state', netuid, block.hash),
  ]);
  return decodeMetagraph(context.api.registry, {
    netuid,
    block: block.number,
    neuronsLite,
    subnetState,
  });
}

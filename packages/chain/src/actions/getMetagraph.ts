import type { bool, Compact, u16, u64, Vec } from '@polkadot/types';
import type { AccountId32 } from '@polkadot/types/interfaces';
import { u8aToHex } from '@polkadot/util';
import { ChainRequestError, SubnetNotFoundError } from '../errors/ChainErrors';
import { type AxonInfo, fromU16, type Metagraph, type NeuronInfo } from '../metagraph/Metagraph';
import { decodeIp } from '../net/ipCodec';
import { chainCall } from '../subtensor/chainCall';
import type { AxonInfoCodec, NeuronInfoLiteCodec } from '../subtensor/codecs';
import { decodeStructFields } from '../subtensor/decodeStructFields';
import { resolveBlock } from '../subtensor/resolveBlock';
import { runtimeCall } from '../subtensor/runtimeCall';
import type { SubtensorContext } from '../subtensor/SubtensorContext';

export interface GetMetagraphParameters {
  netuid: number;
  /** Read at this block; the head when omitted. */
  blockHash?: string;
}

function decodeAxon(axon: AxonInfoCodec): AxonInfo {
  const ipType = axon.ipType.toNumber();
  const ip = axon.ip.toBigInt();
  return {
    // A never-served axon is all zeros with ip_type 0; show it as the IPv4 unspecified address.
    ip: ip === 0n && ipType !== 6 ? '0.0.0.0' : decodeIp(ip, ipType),
    port: axon.port.toNumber(),
    ipType: ipType === 6 ? 6 : 4,
    version: axon.version.toNumber(),
    protocol: axon.protocol.toNumber(),
  };
}

/** The per-uid columns of `SubnetInfoRuntimeApi_get_subnet_state` that the metagraph uses. */
interface SubnetStateColumns {
  hotkeys: Vec<AccountId32>;
  coldkeys: Vec<AccountId32>;
  active: Vec<bool>;
  validatorPermit: Vec<bool>;
  lastUpdate: Vec<Compact<u64>>;
  emission: Vec<Compact<u64>>;
  dividends: Vec<Compact<u16>>;
  incentives: Vec<Compact<u16>>;
  consensus: Vec<Compact<u16>>;
  trust: Vec<Compact<u16>>;
  alphaStake: Vec<Compact<u64>>;
  taoStake: Vec<Compact<u64>>;
  totalStake: Vec<Compact<u64>>;
}

const STATE_COLUMNS: Record<keyof SubnetStateColumns, string> = {
  hotkeys: 'hotkeys',
  coldkeys: 'coldkeys',
  active: 'active',
  validatorPermit: 'validator_permit',
  lastUpdate: 'last_update',
  emission: 'emission',
  dividends: 'dividends',
  incentives: 'incentives',
  consensus: 'consensus',
  trust: 'trust',
  alphaStake: 'alpha_stake',
  taoStake: 'tao_stake',
  totalStake: 'total_stake',
};

async function readSubnetState(
  context: SubtensorContext,
  netuid: number,
  blockHash: string,
): Promise<SubnetStateColumns> {
  const { api, timeoutMs } = context;
  const method = 'SubnetInfoRuntimeApi_get_subnet_state';
  const argument = u8aToHex(api.registry.createType('u16', netuid).toU8a());
  const raw = await chainCall(api.rpc.state.call(method, argument, blockHash), timeoutMs, method);
  const output = decodeStructFields(
    api.registry,
    'SubnetInfoRuntimeApi',
    'get_subnet_state',
    raw.toU8a(true),
    Object.values(STATE_COLUMNS),
  );
  if (output.isNone) throw new SubnetNotFoundError(netuid);
  const columns = Object.fromEntries(
    Object.entries(STATE_COLUMNS).map(([key, name]) => [key, output.fields.get(name)]),
  );
  return columns as unknown as SubnetStateColumns;
}

/**
 * Reads a subnet's metagraph at one block: identities, axons and uids from
 * `NeuronInfoRuntimeApi_get_neurons_lite`, stakes and scores from
 * `SubnetInfoRuntimeApi_get_subnet_state` (which reports alpha, tao and total stake).
 */
export async function getMetagraph(
  context: SubtensorContext,
  parameters: GetMetagraphParameters,
): Promise<Metagraph> {
  const { netuid } = parameters;
  const block = await resolveBlock(context, parameters.blockHash);
  const [liteCodec, state] = await Promise.all([
    runtimeCall(context, 'neuronInfoRuntimeApi', 'getNeuronsLite', [netuid], block.hash),
    readSubnetState(context, netuid, block.hash),
  ]);
  const lite = liteCodec as Vec<NeuronInfoLiteCodec>;
  const n = state.hotkeys.length;
  if (lite.length !== n) {
    throw new ChainRequestError('metagraph', {
      details: `get_neurons_lite returned ${lite.length} neurons but get_subnet_state ${n}.`,
    });
  }
  const at = <T>(list: { length: number; [index: number]: T }, index: number, field: string): T => {
    const value = list[index];
    if (value === undefined || list.length !== n) {
      throw new ChainRequestError('metagraph', {
        details: `subnet_state.${field} has ${list.length} entries, expected ${n}.`,
      });
    }
    return value;
  };
  // SS58 encoding hashes every key; coldkeys repeat across uids, so encode each once.
  const ss58 = new Map<string, string>();
  const address = (key: AccountId32): string => {
    const hex = key.toHex();
    let text = ss58.get(hex);
    if (text === undefined) {
      text = key.toString();
      ss58.set(hex, text);
    }
    return text;
  };
  const neurons: NeuronInfo[] = lite.map((neuron, index) => {
    const hotkeyId = at(state.hotkeys, index, 'hotkeys');
    if (!neuron.hotkey.eq(hotkeyId)) {
      throw new ChainRequestError('metagraph', {
        details: `uid ${index}: neurons_lite and subnet_state disagree on the hotkey.`,
      });
    }
    return {
      uid: neuron.uid.toNumber(),
      hotkey: address(hotkeyId),
      coldkey: address(at(state.coldkeys, index, 'coldkeys')),
      active: at(state.active, index, 'active').isTrue,
      validatorPermit: at(state.validatorPermit, index, 'validatorPermit').isTrue,
      stake: {
        alpha: at(state.alphaStake, index, 'alphaStake').toBigInt(),
        tao: at(state.taoStake, index, 'taoStake').toBigInt(),
        total: at(state.totalStake, index, 'totalStake').toBigInt(),
      },
      axon: decodeAxon(neuron.axonInfo),
      incentive: fromU16(at(state.incentives, index, 'incentives').toNumber()),
      consensus: fromU16(at(state.consensus, index, 'consensus').toNumber()),
      trust: fromU16(at(state.trust, index, 'trust').toNumber()),
      dividends: fromU16(at(state.dividends, index, 'dividends').toNumber()),
      emission: at(state.emission, index, 'emission').toBigInt(),
      lastUpdate: at(state.lastUpdate, index, 'lastUpdate').toNumber(),
    };
  });
  return { netuid, block: block.number, n, neurons };
}

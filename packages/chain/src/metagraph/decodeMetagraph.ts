import type { bool, Compact, u16, u64, Vec } from '@polkadot/types';
import type { AccountId32 } from '@polkadot/types/interfaces';
import type { Registry } from '@polkadot/types/types';
import { isSignalError } from '@signal/core';
import { ChainRequestError, SubnetNotFoundError } from '../errors/ChainErrors';
import { decodeIp } from '../net/ipCodec';
import type { AxonInfoCodec, NeuronInfoLiteCodec } from '../subtensor/codecs';
import { decodeStructFields } from '../subtensor/decodeStructFields';
import { scaleEnd } from '../subtensor/scaleLayout';
import { type AxonInfo, fromU16, type Metagraph, type NeuronInfo } from './Metagraph';

/** The raw answers of the two runtime calls a metagraph is read from, at one block. */
export interface MetagraphBytes {
  netuid: number;
  block: number;
  /** `NeuronInfoRuntimeApi_get_neurons_lite(netuid)`: SCALE `Vec<NeuronInfoLite>`. */
  neuronsLite: Uint8Array;
  /** `SubnetInfoRuntimeApi_get_subnet_state(netuid)`: SCALE `Option<SubnetState>`. */
  subnetState: Uint8Array;
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

function decodeSubnetState(registry: Registry, netuid: number, bytes: Uint8Array) {
  const output = decodeStructFields(
    registry,
    'SubnetInfoRuntimeApi',
    'get_subnet_state',
    bytes,
    Object.values(STATE_COLUMNS),
  );
  if (output.isNone) throw new SubnetNotFoundError(netuid);
  const columns = Object.fromEntries(
    Object.entries(STATE_COLUMNS).map(([key, name]) => [key, output.fields.get(name)]),
  );
  return columns as unknown as SubnetStateColumns;
}

function decodeNeuronsLite(registry: Registry, bytes: Uint8Array): Vec<NeuronInfoLiteCodec> {
  const what = 'NeuronInfoRuntimeApi_get_neurons_lite';
  const method = registry.metadata.apis
    ?.find((api) => api.name.toString() === 'NeuronInfoRuntimeApi')
    ?.methods.find((entry) => entry.name.toString() === 'get_neurons_lite');
  if (!method)
    throw new ChainRequestError(what, { details: 'The metadata does not list this runtime API.' });
  const typeId = method.output.toNumber();
  const end = scaleEnd(registry, typeId, bytes, 0, what);
  if (end !== bytes.length) {
    throw new ChainRequestError(what, {
      details: `${bytes.length - end} bytes follow the neurons.`,
    });
  }
  return registry.createType(
    registry.createLookupType(typeId),
    bytes,
  ) as unknown as Vec<NeuronInfoLiteCodec>;
}

/**
 * Builds a subnet's metagraph from the raw answers of `get_neurons_lite` (identities, axons,
 * uids) and `get_subnet_state` (stakes and scores), decoded with the metadata's types. The
 * bytes come from a node we do not control: every length is checked against the bytes left
 * before anything is built (scaleEnd), the two answers must agree neuron by neuron, and
 * anything malformed is a ChainRequestError (or SubnetNotFoundError for a None state).
 */
export function decodeMetagraph(registry: Registry, bytes: MetagraphBytes): Metagraph {
  try {
    return buildMetagraph(registry, bytes);
  } catch (error) {
    if (isSignalError(error)) throw error;
    throw new ChainRequestError('metagraph', {
      details: `Undecodable runtime answer: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
}

function buildMetagraph(registry: Registry, bytes: MetagraphBytes): Metagraph {
  const { netuid } = bytes;
  const state = decodeSubnetState(registry, netuid, bytes.subnetState);
  const lite = decodeNeuronsLite(registry, bytes.neuronsLite);
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
  return { netuid, block: bytes.block, n, neurons };
}

import type { Metagraph, NeuronInfo } from './Metagraph';

/** One neuron in the snake_case JSON shape `signal metagraph --json` prints (BigInts as strings). */
export interface NeuronJson {
  uid: number;
  hotkey: string;
  coldkey: string;
  active: boolean;
  validator_permit: boolean;
  stake: { alpha_rao: string; tao_rao: string; total_rao: string };
  axon: { ip: string; port: number; ip_type: 4 | 6; version: number; protocol: number };
  incentive: number;
  consensus: number;
  trust: number;
  dividends: number;
  emission_rao: string;
  last_update: number;
}

export interface MetagraphJson {
  netuid: number;
  block: number;
  n: number;
  neurons: NeuronJson[];
}

function neuronToJson(neuron: NeuronInfo): NeuronJson {
  // Keys are written in the documented order: JSON consumers diff this output.
  return {
    uid: neuron.uid,
    hotkey: neuron.hotkey,
    coldkey: neuron.coldkey,
    active: neuron.active,
    validator_permit: neuron.validatorPermit,
    stake: {
      alpha_rao: neuron.stake.alpha.toString(),
      tao_rao: neuron.stake.tao.toString(),
      total_rao: neuron.stake.total.toString(),
    },
    axon: {
      ip: neuron.axon.ip,
      port: neuron.axon.port,
      ip_type: neuron.axon.ipType,
      version: neuron.axon.version,
      protocol: neuron.axon.protocol,
    },
    incentive: neuron.incentive,
    consensus: neuron.consensus,
    trust: neuron.trust,
    dividends: neuron.dividends,
    emission_rao: neuron.emission.toString(),
    last_update: neuron.lastUpdate,
  };
}

export function metagraphToJson(metagraph: Metagraph): MetagraphJson {
  return {
    netuid: metagraph.netuid,
    block: metagraph.block,
    n: metagraph.n,
    neurons: metagraph.neurons.map(neuronToJson),
  };
}

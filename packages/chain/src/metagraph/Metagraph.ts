/** How a neuron's axon is reachable, as the chain stores it (the IP decoded to text). */
export interface AxonInfo {
  /** Dotted IPv4 or RFC 5952 IPv6 text; `0.0.0.0` when never served. */
  ip: string;
  port: number;
  ipType: 4 | 6;
  version: number;
  protocol: number;
}

/** Stakes in rao, exactly as the chain reports them (total = alpha + tao × TaoWeight). */
export interface NeuronStake {
  alpha: bigint;
  tao: bigint;
  total: bigint;
}

export interface NeuronInfo {
  uid: number;
  hotkey: string;
  coldkey: string;
  active: boolean;
  validatorPermit: boolean;
  stake: NeuronStake;
  axon: AxonInfo;
  /** The u16 chain values divided by 65535, so each lies in [0, 1]. */
  incentive: number;
  consensus: number;
  trust: number;
  dividends: number;
  /** Rao emitted to this uid at the last epoch. */
  emission: bigint;
  /** Block of the neuron's last weight update. */
  lastUpdate: number;
}

export interface Metagraph {
  netuid: number;
  /** Block number the metagraph was read at. */
  block: number;
  n: number;
  neurons: NeuronInfo[];
}

/** Chain u16 fixed-point fractions are stored as value/65535. */
export const U16_MAX = 65535;

export function fromU16(value: number): number {
  return value / U16_MAX;
}

import type {
  ChainClient,
  Hyperparameters,
  ReadOptions,
  ServeAxonParameters,
  ServeAxonResult,
  SetWeightsParameters,
  SetWeightsResult,
} from '../ChainClient';
import { SubnetNotFoundError } from '../errors/ChainErrors';
import { LocalChainRuleError, LocalChainStateError } from '../errors/LocalChainErrors';
import { type Metagraph, U16_MAX } from '../metagraph/Metagraph';
import { encodeIp } from '../net/ipCodec';
import { checkSetWeights } from '../weights/checkSetWeights';
import { FileStateStore } from './FileStateStore';
import type {
  LocalChainState,
  LocalHyperparameters,
  LocalNeuron,
  LocalSubnet,
} from './LocalChainState';
import { MemoryStateStore } from './MemoryStateStore';
import type { StateStore } from './StateStore';
import { yumaConsensus } from './yumaConsensus';

/** Defaults sized for a devnet: short epochs so emissions show within minutes. */
export const LOCAL_HYPERPARAMETER_DEFAULTS: LocalHyperparameters = {
  tempo: 10,
  immunityPeriod: 100,
  minAllowedWeights: 1,
  maxWeightsLimit: U16_MAX,
  weightsRateLimit: 2,
  weightsVersion: '0',
  commitRevealWeightsEnabled: false,
  maxValidators: 64,
  activityCutoff: 5000,
  registrationAllowed: true,
  servingRateLimit: 0,
  emissionPerBlock: '1000000000',
};

export interface LocalChainOptions {
  /**
   * Persist to this JSON file (loaded if present); in memory only when omitted. Several
   * LocalChains, in this process or others, may share one file.
   */
  file?: string;
  /** Milliseconds per block; 0 disables the timer (advance by hand). Default 12 000. */
  blockTimeMs?: number;
  /**
   * Inspect an existing file without ever writing it (no timer, no persistence); a missing
   * file is then an error rather than a new chain.
   */
  readOnly?: boolean;
}

export interface RegisterParameters {
  netuid: number;
  hotkey: string;
  coldkey: string;
  /** Initial stake in rao. */
  stake?: bigint;
}

/**
 * Timers in several processes sharing a file tick out of phase; a tick produces a block only
 * when this fraction of a period has passed since the last one, so between them they keep
 * one block per period, and setInterval's jitter never skips one.
 */
const TICK_GATE = 0.9;

/**
 * The embedded chain: the same ChainClient as Subtensor, over a state held in memory or in a
 * file that several processes may share (see FileStateStore). Weights pass the same
 * admission checks as on subtensor, and each tempo boundary runs `yumaConsensus` to pay
 * incentive, dividends and emission.
 */
export class LocalChain implements ChainClient {
  readonly #store: StateStore;
  #timer: NodeJS.Timeout | undefined;
  /** A tick still waiting for the file's lock; the timer skips rather than queue another. */
  #ticking = false;
  #failure: unknown;

  private constructor(store: StateStore) {
    this.#store = store;
  }

  /** Opens (or starts) a chain; with a file, existing state is loaded and validated. */
  static async open(options: LocalChainOptions = {}): Promise<LocalChain> {
    const readOnly = options.readOnly ?? false;
    const initial: LocalChainState = { version: 1, block: 0, subnets: [] };
    const store = options.file
      ? await FileStateStore.open(options.file, { readOnly, initial })
      : new MemoryStateStore(initial);
    const chain = new LocalChain(store);
    const blockTimeMs = readOnly ? 0 : (options.blockTimeMs ?? 12_000);
    if (blockTimeMs > 0) {
      chain.#timer = setInterval(() => {
        chain.#tick(blockTimeMs).catch((error: unknown) => {
          // No caller awaits a timer tick: stop producing blocks and report the failure
          // from the next call instead of dropping it.
          chain.#failure = error;
          clearInterval(chain.#timer);
        });
      }, blockTimeMs);
      chain.#timer.unref();
    }
    return chain;
  }

  /** A deep copy of the current state (for inspection and tests). */
  async snapshot(): Promise<LocalChainState> {
    return structuredClone(await this.#store.read());
  }

  #assertWritable(): void {
    if (this.#store.readOnly) throw new LocalChainRuleError('This LocalChain was opened read-only');
    this.#assertHealthy();
  }

  #assertHealthy(): void {
    if (this.#failure !== undefined) {
      throw new LocalChainStateError(
        this.#store.location,
        'Producing a block failed; the chain stopped.',
        this.#failure,
      );
    }
  }

  /** Applies a change to the latest state and saves it, or refuses on a read-only chain. */
  #update<T>(change: (state: LocalChainState) => T): Promise<T> {
    this.#assertWritable();
    return this.#store.update(change);
  }

  async #tick(blockTimeMs: number): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = true;
    const due = (state: LocalChainState, now: number) =>
      state.lastBlockAtMs === undefined || now - state.lastBlockAtMs >= blockTimeMs * TICK_GATE;
    try {
      // Another process's timer usually produced this period's block: find that out with a
      // plain read, and take the lock (and rewrite the file) only when a block is due.
      if (!due(await this.#store.read(), Date.now())) return;
      await this.#store.update((state) => {
        const now = Date.now();
        if (!due(state, now)) return;
        produceBlocks(state, 1);
        state.lastBlockAtMs = now;
      });
    } finally {
      this.#ticking = false;
    }
  }

  async createSubnet(netuid: number, overrides: Partial<LocalHyperparameters> = {}): Promise<void> {
    await this.#update((state) => {
      if (state.subnets.some((s) => s.netuid === netuid)) {
        throw new LocalChainRuleError(`Subnet ${netuid} already exists`);
      }
      state.subnets.push({
        netuid,
        hyperparameters: { ...LOCAL_HYPERPARAMETER_DEFAULTS, ...overrides },
        neurons: [],
      });
    });
  }

  /** Registers a hotkey on a subnet and returns its uid. */
  async register(parameters: RegisterParameters): Promise<number> {
    return this.#update((state) => {
      const subnet = subnetOf(state, parameters.netuid);
      if (!subnet.hyperparameters.registrationAllowed) {
        throw new LocalChainRuleError(`Registration is closed on subnet ${parameters.netuid}`);
      }
      if (subnet.neurons.some((neuron) => neuron.hotkey === parameters.hotkey)) {
        throw new LocalChainRuleError(
          `Hotkey ${parameters.hotkey} is already registered on subnet ${parameters.netuid}`,
        );
      }
      const uid = subnet.neurons.length;
      subnet.neurons.push({
        uid,
        hotkey: parameters.hotkey,
        coldkey: parameters.coldkey,
        stake: (parameters.stake ?? 0n).toString(),
        axon: null,
        registeredAt: state.block,
        lastUpdate: 0,
        validatorPermit: false,
        incentive: 0,
        consensus: 0,
        trust: 0,
        dividends: 0,
        emission: '0',
        weights: [],
      });
      assignValidatorPermits(subnet);
      return uid;
    });
  }

  async addStake(netuid: number, hotkey: string, amount: bigint): Promise<void> {
    if (amount < 0n) throw new LocalChainRuleError('Stake amounts must be non-negative');
    await this.#update((state) => {
      const neuron = neuronOf(state, netuid, hotkey);
      neuron.stake = (BigInt(neuron.stake) + amount).toString();
      assignValidatorPermits(subnetOf(state, netuid));
    });
  }

  /** Produces `blocks` blocks, running an epoch on every subnet whose tempo boundary passes. */
  async advance(blocks = 1): Promise<number> {
    return this.#update((state) => {
      produceBlocks(state, blocks);
      return state.block;
    });
  }

  async metagraph(netuid: number, options: ReadOptions = {}): Promise<Metagraph> {
    if (options.blockHash !== undefined) {
      // Only the latest state is kept; answering with it for a past block would be a lie.
      throw new LocalChainRuleError(
        'LocalChain keeps no block history',
        `Cannot read at ${options.blockHash}.`,
      );
    }
    const state = await this.#store.read();
    const subnet = subnetOf(state, netuid);
    const { activityCutoff } = subnet.hyperparameters;
    const block = state.block;
    return {
      netuid,
      block,
      n: subnet.neurons.length,
      neurons: subnet.neurons.map((neuron) => ({
        uid: neuron.uid,
        hotkey: neuron.hotkey,
        coldkey: neuron.coldkey,
        active: neuron.lastUpdate > 0 && block - neuron.lastUpdate <= activityCutoff,
        validatorPermit: neuron.validatorPermit,
        stake: { alpha: BigInt(neuron.stake), tao: 0n, total: BigInt(neuron.stake) },
        axon: neuron.axon ?? { ip: '0.0.0.0', port: 0, ipType: 4, version: 0, protocol: 0 },
        incentive: neuron.incentive,
        consensus: neuron.consensus,
        trust: neuron.trust,
        dividends: neuron.dividends,
        emission: BigInt(neuron.emission),
        lastUpdate: neuron.lastUpdate,
      })),
    };
  }

  async hyperparameters(netuid: number): Promise<Hyperparameters> {
    return hyperparametersOf(subnetOf(await this.#store.read(), netuid));
  }

  async currentBlock(): Promise<number> {
    return (await this.#store.read()).block;
  }

  async isRegistered(netuid: number, hotkey: string): Promise<boolean> {
    return (await this.uidOf(netuid, hotkey)) !== null;
  }

  async uidOf(netuid: number, hotkey: string): Promise<number | null> {
    const subnet = subnetOf(await this.#store.read(), netuid);
    return subnet.neurons.find((n) => n.hotkey === hotkey)?.uid ?? null;
  }

  async stakeOf(netuid: number, hotkey: string): Promise<bigint> {
    const subnet = subnetOf(await this.#store.read(), netuid);
    const neuron = subnet.neurons.find((n) => n.hotkey === hotkey);
    return neuron ? BigInt(neuron.stake) : 0n;
  }

  async setWeights(parameters: SetWeightsParameters): Promise<SetWeightsResult> {
    return this.#update((state) => {
      const subnet = subnetOf(state, parameters.netuid);
      const hotkey = parameters.signer.address;
      const caller = subnet.neurons.find((n) => n.hotkey === hotkey);
      const emit = checkSetWeights(
        {
          hyperparameters: hyperparametersOf(subnet),
          n: subnet.neurons.length,
          hotkey,
          callerUid: caller?.uid ?? null,
          hasValidatorPermit: caller?.validatorPermit ?? false,
          lastUpdate: caller?.lastUpdate ?? 0,
          currentBlock: state.block,
        },
        parameters,
      );
      // checkSetWeights refused unregistered callers, so `caller` is set here.
      const neuron = caller!;
      neuron.weights = emit.uids.map((uid, index) => [uid, emit.weights[index]!]);
      neuron.lastUpdate = state.block;
      return { ...emit, block: state.block };
    });
  }

  async serveAxon(parameters: ServeAxonParameters): Promise<ServeAxonResult> {
    const { ipType } = encodeIp(parameters.ip);
    const axon = {
      ip: parameters.ip,
      port: parameters.port,
      ipType: parameters.ipType ?? ipType,
      version: parameters.version,
      protocol: parameters.protocol ?? 4,
    };
    const held = neuronOf(
      await this.#store.read(),
      parameters.netuid,
      parameters.signer.address,
    ).axon;
    if (
      held &&
      held.ip === axon.ip &&
      held.port === axon.port &&
      held.ipType === axon.ipType &&
      held.version === axon.version &&
      held.protocol === axon.protocol
    ) {
      return { submitted: false };
    }
    await this.#update((state) => {
      neuronOf(state, parameters.netuid, parameters.signer.address).axon = axon;
    });
    return { submitted: true };
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#store.close();
    this.#assertHealthy();
  }
}

function subnetOf(state: LocalChainState, netuid: number): LocalSubnet {
  const subnet = state.subnets.find((s) => s.netuid === netuid);
  if (!subnet) throw new SubnetNotFoundError(netuid);
  return subnet;
}

function neuronOf(state: LocalChainState, netuid: number, hotkey: string): LocalNeuron {
  const neuron = subnetOf(state, netuid).neurons.find((n) => n.hotkey === hotkey);
  if (!neuron)
    throw new LocalChainRuleError(`Hotkey ${hotkey} is not registered on subnet ${netuid}`);
  return neuron;
}

function hyperparametersOf(subnet: LocalSubnet): Hyperparameters {
  const { emissionPerBlock: _emission, weightsVersion, ...rest } = subnet.hyperparameters;
  return { netuid: subnet.netuid, ...rest, weightsVersion: BigInt(weightsVersion) };
}

/** Advances the block number, running an epoch on every subnet whose tempo boundary passes. */
function produceBlocks(state: LocalChainState, blocks: number): void {
  for (let i = 0; i < blocks; i += 1) {
    state.block += 1;
    for (const subnet of state.subnets) {
      if (state.block % subnet.hyperparameters.tempo === 0) runEpoch(subnet);
    }
  }
}

/** Validator permits go to the top `maxValidators` uids by stake (ties: lower uid first). */
function assignValidatorPermits(subnet: LocalSubnet): void {
  const ranked = [...subnet.neurons]
    .filter((n) => BigInt(n.stake) > 0n)
    .sort((a, b) => {
      const diff = BigInt(b.stake) - BigInt(a.stake);
      return diff === 0n ? a.uid - b.uid : diff > 0n ? 1 : -1;
    })
    .slice(0, subnet.hyperparameters.maxValidators);
  const permitted = new Set(ranked.map((n) => n.uid));
  for (const neuron of subnet.neurons) neuron.validatorPermit = permitted.has(neuron.uid);
}

/** One epoch: consensus over permitted validators' weights, then emission into stake. */
function runEpoch(subnet: LocalSubnet): void {
  const { neurons, hyperparameters } = subnet;
  if (neurons.length === 0) return;
  const weights = new Map<number, Map<number, number>>();
  for (const neuron of neurons) {
    if (neuron.validatorPermit && neuron.weights.length > 0)
      weights.set(neuron.uid, new Map(neuron.weights));
  }
  const result = yumaConsensus({
    n: neurons.length,
    stake: neurons.map((n) => (n.validatorPermit ? Number(BigInt(n.stake)) : 0)),
    weights,
  });
  const epochEmission = BigInt(hyperparameters.emissionPerBlock) * BigInt(hyperparameters.tempo);
  const half = epochEmission / 2n;
  // Work in parts per billion so the split stays in BigInt rao without float drift.
  const share = (amount: bigint, fraction: number): bigint =>
    (amount * BigInt(Math.round(fraction * 1e9))) / 1_000_000_000n;
  const anyIncentive = result.incentive.some((v) => v > 0);
  for (const neuron of neurons) {
    const uid = neuron.uid;
    neuron.incentive = result.incentive[uid] ?? 0;
    neuron.consensus = result.consensus[uid] ?? 0;
    neuron.trust = result.trust[uid] ?? 0;
    neuron.dividends = result.dividends[uid] ?? 0;
    const emission = anyIncentive
      ? share(half, neuron.incentive) + share(half, neuron.dividends)
      : 0n;
    neuron.emission = emission.toString();
    neuron.stake = (BigInt(neuron.stake) + emission).toString();
  }
  assignValidatorPermits(subnet);
}

import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, decodeAddress } from '@polkadot/util-crypto';
import type {
  ChainClient,
  CommitRevealState,
  Hyperparameters,
  ReadOptions,
  ServeAxonParameters,
  ServeAxonResult,
  SetWeightsParameters,
  SetWeightsResult,
} from '../ChainClient';
import { commitEpochOf, epochIndex, runsEpoch } from '../epochs/epochSchedule';
import { SubnetNotFoundError } from '../errors/ChainErrors';
import { LocalChainRuleError, LocalChainStateError } from '../errors/LocalChainErrors';
import { type Metagraph, U16_MAX } from '../metagraph/Metagraph';
import { encodeIp } from '../net/ipCodec';
import { computeRevealRound } from '../timelock/revealRound';
import { encryptWeightsCommit } from '../timelock/weightsCommit';
import { checkSetWeights, type SetWeightsContext } from '../weights/checkSetWeights';
import { checkWeightsCommit } from '../weights/checkWeightsCommit';
import { FileStateStore } from './FileStateStore';
import type {
  LocalChainState,
  LocalHyperparameters,
  LocalNeuron,
  LocalSubnet,
} from './LocalChainState';
import {
  beaconOf,
  chainTimeOf,
  lastStoredRoundAt,
  newCommitReveal,
  revealCommits,
} from './localCommitReveal';
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
  commitRevealPeriod: 1,
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
  /**
   * Milliseconds per block; 0 disables the timer (advance by hand). Default 12 000. A new
   * chain's clock (which its beacon's rounds follow) advances this much per block, or 12 s
   * when blocks are advanced by hand.
   */
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
  /**
   * The tick in flight, if any: the timer skips rather than queue another, and `close` waits
   * for it (between its read and its update it is in no store queue yet, and a write landing
   * after `close` would race whoever removes the file next).
   */
  #ticking: Promise<void> | undefined;
  #failure: unknown;

  private constructor(store: StateStore) {
    this.#store = store;
  }

  /** Opens (or starts) a chain; with a file, existing state is loaded and validated. */
  static async open(options: LocalChainOptions = {}): Promise<LocalChain> {
    const readOnly = options.readOnly ?? false;
    const blockTimeMs = readOnly ? 0 : (options.blockTimeMs ?? 12_000);
    const commitReveal = newCommitReveal(blockTimeMs > 0 ? blockTimeMs / 1000 : 12);
    const initial: LocalChainState = { version: 1, block: 0, subnets: [], commitReveal };
    const store = options.file
      ? await FileStateStore.open(options.file, { readOnly, initial })
      : new MemoryStateStore(initial);
    if (!readOnly && !(await store.read()).commitReveal) {
      // A file from before commit-reveal: give it a clock and a beacon, once.
      await store.update((state) => {
        state.commitReveal ??= commitReveal;
      });
    }
    const chain = new LocalChain(store);
    if (blockTimeMs > 0) {
      chain.#timer = setInterval(() => {
        if (chain.#ticking) return;
        chain.#ticking = chain
          .#tick(blockTimeMs)
          .catch((error: unknown) => {
            // No caller awaits a timer tick: stop producing blocks and report the failure
            // from the next call instead of dropping it.
            chain.#failure = error;
            clearInterval(chain.#timer);
          })
          .finally(() => {
            chain.#ticking = undefined;
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
    const due = (state: LocalChainState, now: number) =>
      state.lastBlockAtMs === undefined || now - state.lastBlockAtMs >= blockTimeMs * TICK_GATE;
    // Another process's timer usually produced this period's block: find that out with a
    // plain read, and take the lock (and rewrite the file) only when a block is due.
    if (!due(await this.#store.read(), Date.now())) return;
    await this.#store.update((state) => {
      const now = Date.now();
      if (!due(state, now)) return;
      produceBlocks(state, 1);
      state.lastBlockAtMs = now;
    });
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
        commits: [],
        reveals: [],
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

  /**
   * Sets weights, or, on a subnet with commit-reveal on, commits them timelocked to the
   * local beacon's round for the reveal epoch, exactly as a client of subtensor would; the
   * chain reveals them itself (see `revealCommits`).
   */
  async setWeights(parameters: SetWeightsParameters): Promise<SetWeightsResult> {
    return this.#update((state) => {
      const subnet = subnetOf(state, parameters.netuid);
      const hotkey = parameters.signer.address;
      const caller = subnet.neurons.find((n) => n.hotkey === hotkey);
      const checks: SetWeightsContext = {
        hyperparameters: hyperparametersOf(subnet),
        n: subnet.neurons.length,
        hotkey,
        callerUid: caller?.uid ?? null,
        hasValidatorPermit: caller?.validatorPermit ?? false,
        lastUpdate: caller?.lastUpdate ?? 0,
        currentBlock: state.block,
      };
      const cr = state.commitReveal;
      if (!subnet.hyperparameters.commitRevealWeightsEnabled || !cr) {
        const emit = checkSetWeights(checks, parameters);
        // checkSetWeights refused unregistered callers, so `caller` is set here.
        const neuron = caller!;
        neuron.weights = emit.uids.map((uid, index) => [uid, emit.weights[index]!]);
        neuron.lastUpdate = state.block;
        return { path: 'set_weights' as const, ...emit, block: state.block };
      }
      const { netuid } = subnet;
      const { tempo, commitRevealPeriod } = subnet.hyperparameters;
      const epoch = commitEpochOf(netuid, tempo, state.block);
      const emit = checkWeightsCommit(
        {
          ...checks,
          commitRevealVersion: cr.version,
          unrevealedCommits: subnet.commits.filter((c) => c.hotkey === hotkey && c.epoch === epoch)
            .length,
        },
        parameters,
      );
      const beacon = beaconOf(cr);
      const revealRound = computeRevealRound({
        tempo,
        currentBlock: state.block,
        netuid,
        revealPeriodEpochs: commitRevealPeriod,
        blockTimeSeconds: cr.blockSeconds,
        nowSeconds: chainTimeOf(cr, state.block),
        beacon,
      });
      const commit = encryptWeightsCommit({
        hotkey: decodeAddress(hotkey),
        uids: emit.uids,
        values: emit.weights,
        versionKey: BigInt(parameters.versionKey),
        round: revealRound,
        beaconPublicKeyHex: beacon.publicKeyHex,
      });
      subnet.commits.push({
        hotkey,
        epoch,
        block: state.block,
        revealRound,
        commitHex: u8aToHex(commit),
      });
      caller!.lastUpdate = state.block;
      return {
        path: 'commit' as const,
        ...emit,
        block: state.block,
        commit: {
          epoch,
          revealEpoch: epoch + commitRevealPeriod,
          revealRound,
          commitHash: blake2AsHex(commit, 256),
          version: cr.version,
        },
      };
    });
  }

  async commitRevealState(netuid: number): Promise<CommitRevealState> {
    const state = await this.#store.read();
    const subnet = subnetOf(state, netuid);
    const cr = requireCommitReveal(state);
    const { tempo, commitRevealPeriod, commitRevealWeightsEnabled } = subnet.hyperparameters;
    const beacon = beaconOf(cr);
    return {
      netuid,
      block: state.block,
      enabled: commitRevealWeightsEnabled,
      version: cr.version,
      revealPeriodEpochs: commitRevealPeriod,
      tempo,
      epoch: epochIndex(netuid, tempo, state.block),
      commitEpoch: commitEpochOf(netuid, tempo, state.block),
      lastStoredRound: lastStoredRoundAt(cr, state.block),
      beacon: {
        publicKeyHex: beacon.publicKeyHex,
        genesisTime: beacon.genesisTime,
        periodSeconds: beacon.periodSeconds,
      },
      blockTimeSeconds: cr.blockSeconds,
      nowSeconds: chainTimeOf(cr, state.block),
      commits: subnet.commits.map((commit) => ({
        ...commit,
        commitHash: blake2AsHex(commit.commitHex, 256),
      })),
      reveals: subnet.reveals.map((event) => ({ ...event })),
    };
  }

  async weightsOf(netuid: number, uid: number): Promise<Array<[number, number]>> {
    const neuron = subnetOf(await this.#store.read(), netuid).neurons.find((n) => n.uid === uid);
    return neuron ? neuron.weights.map(([dest, weight]) => [dest, weight]) : [];
  }

  async beaconPulse(round: number): Promise<Uint8Array | null> {
    const state = await this.#store.read();
    const cr = requireCommitReveal(state);
    return round >= 1 && round <= lastStoredRoundAt(cr, state.block)
      ? beaconOf(cr).sign(round)
      : null;
  }

  /** Sets `CommitRevealWeightsVersion` (what sudo does on subtensor), e.g. to test a mismatch. */
  async setCommitRevealVersion(version: number): Promise<void> {
    await this.#update((state) => {
      requireCommitReveal(state).version = version;
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
    await this.#ticking;
    await this.#store.close();
    this.#assertHealthy();
  }
}

function requireCommitReveal(state: LocalChainState) {
  if (!state.commitReveal) {
    throw new LocalChainRuleError(
      'This LocalChain file has no beacon yet',
      'Open it once without readOnly to give it a clock and a beacon.',
    );
  }
  return state.commitReveal;
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

/**
 * Advances the block number. In each block, as in subtensor's coinbase, every subnet first
 * reveals its matured commits, then runs its epoch if the schedule says so.
 */
function produceBlocks(state: LocalChainState, blocks: number): void {
  for (let i = 0; i < blocks; i += 1) {
    state.block += 1;
    for (const subnet of state.subnets) {
      revealCommits(state, subnet, hyperparametersOf(subnet));
      if (runsEpoch(subnet.netuid, subnet.hyperparameters.tempo, state.block)) runEpoch(subnet);
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

import type { ApiPromise } from '@polkadot/api';
import { getBeaconPulse } from '../actions/getBeaconPulse';
import { getCommitRevealState } from '../actions/getCommitRevealState';
import { getCurrentBlock } from '../actions/getCurrentBlock';
import { getHyperparameters } from '../actions/getHyperparameters';
import { getMetagraph } from '../actions/getMetagraph';
import { getStakeOf, getUidOf } from '../actions/getRegistration';
import { getWeightsOf } from '../actions/getWeightsOf';
import { serveAxon } from '../actions/serveAxon';
import { setWeights } from '../actions/setWeights';
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
import type { Metagraph } from '../metagraph/Metagraph';
import { resolveNetworkUrl } from '../networks';
import { type ConnectedApi, connectApi, type ReconnectPolicy } from './connectApi';
import { readAcrossReconnects } from './readAcrossReconnects';
import type { SubtensorContext } from './SubtensorContext';

export interface SubtensorOptions {
  /** `finney`, `test`, `local`, or any ws:// / wss:// URL. */
  network: string;
  /** Deadline for connecting and for every read (default 30 s). */
  timeoutMs?: number;
  /** Deadline for an extrinsic to land in a block (default 60 s: about five blocks). */
  inclusionTimeoutMs?: number;
  reconnect?: Partial<ReconnectPolicy>;
  /** Seconds per block, for the reveal round of timelocked commits (default 12, as finney). */
  blockTimeSeconds?: number;
}

/** A ChainClient over a live subtensor node through @polkadot/api. */
export class Subtensor implements ChainClient {
  readonly url: string;
  readonly #connection: ConnectedApi;
  readonly #context: SubtensorContext;
  readonly #inclusionTimeoutMs: number;
  readonly #blockTimeSeconds: number;

  private constructor(
    url: string,
    connection: ConnectedApi,
    timeoutMs: number,
    inclusionTimeoutMs: number,
    blockTimeSeconds: number,
  ) {
    this.url = url;
    this.#connection = connection;
    this.#context = { api: connection.api, timeoutMs };
    this.#inclusionTimeoutMs = inclusionTimeoutMs;
    this.#blockTimeSeconds = blockTimeSeconds;
  }

  /** Connects and loads the runtime metadata; a dead endpoint rejects with ChainUnreachableError. */
  static async connect(options: SubtensorOptions): Promise<Subtensor> {
    const url = resolveNetworkUrl(options.network);
    const timeoutMs = options.timeoutMs ?? 30_000;
    const connection = await connectApi(url, {
      timeoutMs,
      reconnect: {
        initialDelayMs: options.reconnect?.initialDelayMs ?? 1_000,
        maxDelayMs: options.reconnect?.maxDelayMs ?? 30_000,
        onRetry: options.reconnect?.onRetry,
      },
    });
    return new Subtensor(
      url,
      connection,
      timeoutMs,
      options.inclusionTimeoutMs ?? 60_000,
      options.blockTimeSeconds ?? 12,
    );
  }

  /** The underlying API, for calls this client does not wrap. */
  get api(): ApiPromise {
    return this.#context.api;
  }

  /** The context the standalone actions (`getMetagraph(context, …)` etc.) take. */
  get context(): SubtensorContext {
    return this.#context;
  }

  /** Runs a read through connection drops: see readAcrossReconnects. */
  #read<T>(what: string, read: (context: SubtensorContext) => Promise<T>): Promise<T> {
    return readAcrossReconnects(this.#context, this.url, what, read);
  }

  metagraph(netuid: number, options: ReadOptions = {}): Promise<Metagraph> {
    return this.#read('metagraph', (context) => getMetagraph(context, { netuid, ...options }));
  }

  hyperparameters(netuid: number): Promise<Hyperparameters> {
    return this.#read('hyperparameters', (context) => getHyperparameters(context, netuid));
  }

  currentBlock(): Promise<number> {
    return this.#read('currentBlock', getCurrentBlock);
  }

  async isRegistered(netuid: number, hotkey: string): Promise<boolean> {
    return (await this.uidOf(netuid, hotkey)) !== null;
  }

  uidOf(netuid: number, hotkey: string): Promise<number | null> {
    return this.#read('uidOf', (context) => getUidOf(context, netuid, hotkey));
  }

  stakeOf(netuid: number, hotkey: string): Promise<bigint> {
    return this.#read('stakeOf', (context) => getStakeOf(context, netuid, hotkey));
  }

  setWeights(parameters: SetWeightsParameters): Promise<SetWeightsResult> {
    return setWeights(this.#context, parameters, {
      inclusionTimeoutMs: this.#inclusionTimeoutMs,
      blockTimeSeconds: this.#blockTimeSeconds,
    });
  }

  commitRevealState(netuid: number): Promise<CommitRevealState> {
    return this.#read('commitRevealState', (context) =>
      getCommitRevealState(context, netuid, this.#blockTimeSeconds),
    );
  }

  weightsOf(netuid: number, uid: number): Promise<Array<[number, number]>> {
    return this.#read('weightsOf', (context) => getWeightsOf(context, netuid, uid));
  }

  beaconPulse(round: number): Promise<Uint8Array | null> {
    return this.#read('beaconPulse', (context) => getBeaconPulse(context, round));
  }

  serveAxon(parameters: ServeAxonParameters): Promise<ServeAxonResult> {
    return serveAxon(this.#context, parameters, this.#inclusionTimeoutMs);
  }

  close(): Promise<void> {
    return this.#connection.disconnect();
  }
}

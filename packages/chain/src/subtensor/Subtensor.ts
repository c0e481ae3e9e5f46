import type { ApiPromise } from '@polkadot/api';
import { getCurrentBlock } from '../actions/getCurrentBlock';
import { getHyperparameters } from '../actions/getHyperparameters';
import { getMetagraph } from '../actions/getMetagraph';
import { getStakeOf, getUidOf } from '../actions/getRegistration';
import { serveAxon } from '../actions/serveAxon';
import { setWeights } from '../actions/setWeights';
import type {
  ChainClient,
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
import type { SubtensorContext } from './SubtensorContext';

export interface SubtensorOptions {
  /** `finney`, `test`, `local`, or any ws:// / wss:// URL. */
  network: string;
  /** Deadline for connecting and for every read (default 30 s). */
  timeoutMs?: number;
  /** Deadline for an extrinsic to land in a block (default 60 s: about five blocks). */
  inclusionTimeoutMs?: number;
  reconnect?: Partial<ReconnectPolicy>;
}

/** A ChainClient over a live subtensor node through @polkadot/api. */
export class Subtensor implements ChainClient {
  readonly url: string;
  readonly #connection: ConnectedApi;
  readonly #context: SubtensorContext;
  readonly #inclusionTimeoutMs: number;

  private constructor(
    url: string,
    connection: ConnectedApi,
    timeoutMs: number,
    inclusionTimeoutMs: number,
  ) {
    this.url = url;
    this.#connection = connection;
    this.#context = { api: connection.api, timeoutMs };
    this.#inclusionTimeoutMs = inclusionTimeoutMs;
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
      },
    });
    return new Subtensor(url, connection, timeoutMs, options.inclusionTimeoutMs ?? 60_000);
  }

  /** The underlying API, for calls this client does not wrap. */
  get api(): ApiPromise {
    return this.#context.api;
  }

  /** The context the standalone actions (`getMetagraph(context, …)` etc.) take. */
  get context(): SubtensorContext {
    return this.#context;
  }

  metagraph(netuid: number, options: ReadOptions = {}): Promise<Metagraph> {
    return getMetagraph(this.#context, { netuid, ...options });
  }

  hyperparameters(netuid: number): Promise<Hyperparameters> {
    return getHyperparameters(this.#context, netuid);
  }

  currentBlock(): Promise<number> {
    return getCurrentBlock(this.#context);
  }

  async isRegistered(netuid: number, hotkey: string): Promise<boolean> {
    return (await getUidOf(this.#context, netuid, hotkey)) !== null;
  }

  uidOf(netuid: number, hotkey: string): Promise<number | null> {
    return getUidOf(this.#context, netuid, hotkey);
  }

  stakeOf(netuid: number, hotkey: string): Promise<bigint> {
    return getStakeOf(this.#context, netuid, hotkey);
  }

  setWeights(parameters: SetWeightsParameters): Promise<SetWeightsResult> {
    return setWeights(this.#context, parameters, this.#inclusionTimeoutMs);
  }

  serveAxon(parameters: ServeAxonParameters): Promise<ServeAxonResult> {
    return serveAxon(this.#context, parameters, this.#inclusionTimeoutMs);
  }

  close(): Promise<void> {
    return this.#connection.disconnect();
  }
}

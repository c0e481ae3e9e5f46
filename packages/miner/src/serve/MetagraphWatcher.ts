import type { ChainClient } from '@signal/chain';
import type { Logger } from 'pino';
import { indexMetagraph, type MetagraphIndex } from '../policy/MetagraphIndex';
import { neuronViews } from './neuronViews';

export interface MetagraphSnapshot {
  readonly index: MetagraphIndex;
  /** The block the metagraph was read at. */
  readonly block: number;
  /** `block / tempo`, rounded down: the unit rate limits count in. */
  readonly epoch: number;
}

export interface MetagraphWatcherOptions {
  readonly chain: ChainClient;
  readonly netuid: number;
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly onRefresh?: (snapshot: MetagraphSnapshot) => void;
}

/**
 * Keeps the miner's view of the subnet fresh: reads the metagraph once on start (a miner that
 * cannot see the chain must not start), then every `intervalMs`. A failed refresh keeps the
 * previous view and is logged; the loop stops on `stop()`.
 */
export class MetagraphWatcher {
  #snapshot: MetagraphSnapshot;
  #timer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> | undefined;
  readonly #options: MetagraphWatcherOptions;

  private constructor(options: MetagraphWatcherOptions, snapshot: MetagraphSnapshot) {
    this.#options = options;
    this.#snapshot = snapshot;
  }

  static async start(options: MetagraphWatcherOptions): Promise<MetagraphWatcher> {
    const watcher = new MetagraphWatcher(options, await read(options));
    options.onRefresh?.(watcher.#snapshot);
    watcher.#timer = setInterval(() => {
      void watcher.refresh();
    }, options.intervalMs);
    watcher.#timer.unref();
    return watcher;
  }

  get snapshot(): MetagraphSnapshot {
    return this.#snapshot;
  }

  /** Reads the metagraph now; concurrent calls share one read. */
  refresh(): Promise<void> {
    this.#refreshing ??= read(this.#options)
      .then((snapshot) => {
        this.#snapshot = snapshot;
        this.#options.onRefresh?.(snapshot);
      })
      .catch((error: unknown) => {
        this.#options.logger.warn(
          { err: error },
          'metagraph refresh failed; keeping the last view',
        );
      })
      .finally(() => {
        this.#refreshing = undefined;
      });
    return this.#refreshing;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#refreshing;
  }
}

async function read(options: MetagraphWatcherOptions): Promise<MetagraphSnapshot> {
  const [metagraph, hyperparameters] = await Promise.all([
    options.chain.metagraph(options.netuid),
    options.chain.hyperparameters(options.netuid),
  ]);
  const tempo = Math.max(1, hyperparameters.tempo);
  return {
    index: indexMetagraph(neuronViews(metagraph)),
    block: metagraph.block,
    epoch: Math.floor(metagraph.block / tempo),
  };
}

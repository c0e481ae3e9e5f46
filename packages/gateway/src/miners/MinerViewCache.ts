import type { Logger } from 'pino';
import type { GatewayStore } from '../store/GatewayStore';
import type { MinerView } from './MinerView';

/**
 * This replica's copy of the validator's miner view. Admission replies carry the store's
 * view version, so a publication reaches the next request's replica; a slow poll keeps the
 * copy fresh while no requests come.
 */
export class MinerViewCache {
  readonly #store: GatewayStore;
  readonly #logger: Logger;
  #view: MinerView | undefined;
  #version = -1;
  #refreshing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(store: GatewayStore, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
  }

  get view(): MinerView | undefined {
    return this.#view;
  }

  /** Loads the view (a store outage only leaves it empty for now) and polls every `pollMs`. */
  async start(pollMs: number): Promise<void> {
    await this.refresh();
    this.#timer = setInterval(() => {
      this.#store
        .minerViewVersion()
        .then((version) => this.noteVersion(version))
        .catch(() => undefined);
    }, pollMs);
    this.#timer.unref();
  }

  /** Refreshes when the store's version differs from this copy's. */
  noteVersion(version: number): Promise<void> {
    return version === this.#version ? Promise.resolve() : this.refresh();
  }

  refresh(): Promise<void> {
    this.#refreshing ??= (async () => {
      try {
        const version = await this.#store.minerViewVersion();
        this.#view = (await this.#store.minerView()) ?? this.#view;
        this.#version = version;
      } catch (error) {
        this.#logger.warn({ err: error }, 'gateway: cannot read the miner view');
      }
    })().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  close(): void {
    clearInterval(this.#timer);
  }
}

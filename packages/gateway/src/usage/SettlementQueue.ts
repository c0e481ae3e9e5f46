import { isSignalError } from '@signal/core';
import type { Logger } from 'pino';
import type { GatewayStore, Settlement } from '../store/GatewayStore';

/** Settlements held while the store is down, at most; beyond it the oldest are dropped. */
export const MAX_PENDING_SETTLEMENTS = 100_000;
const RETRY_MS = 500;

/**
 * Delivers settlements to the store. One that fails because the store is down is kept and
 * sent again when the store is back (settlement ids make a resend after a lost reply
 * harmless), so an outage loses no usage of requests that were admitted before it.
 */
export class SettlementQueue {
  readonly #store: GatewayStore;
  readonly #logger: Logger;
  readonly #pending: Settlement[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #draining: Promise<void> | undefined;
  #dropped = 0;
  readonly #unsubscribe: () => void;

  constructor(store: GatewayStore, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
    this.#unsubscribe = store.onAvailability((available) => {
      if (available) this.#drain();
    });
  }

  get pending(): number {
    return this.#pending.length;
  }

  get dropped(): number {
    return this.#dropped;
  }

  submit(settlement: Settlement): void {
    const sending = this.#store
      .settle(settlement)
      .catch((error: unknown) => this.#keep(settlement, error))
      .finally(() => this.#inFlight.delete(sending));
    this.#inFlight.add(sending);
  }

  #keep(settlement: Settlement, error: unknown): void {
    if (!isSignalError(error, 'GATEWAY_STORE_UNAVAILABLE')) {
      this.#logger.error({ err: error, keyId: settlement.keyId }, 'gateway: settlement refused');
      return;
    }
    this.#pending.push(settlement);
    if (this.#pending.length > MAX_PENDING_SETTLEMENTS) {
      this.#pending.shift();
      this.#dropped += 1;
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer || this.#pending.length === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#drain();
    }, RETRY_MS);
    this.#timer.unref();
  }

  #drain(): void {
    if (this.#draining) return;
    this.#draining = (async () => {
      while (this.#pending.length > 0) {
        const next = this.#pending[0]!;
        try {
          await this.#store.settle(next);
          this.#pending.shift();
        } catch (error) {
          if (!isSignalError(error, 'GATEWAY_STORE_UNAVAILABLE')) this.#pending.shift();
          break;
        }
      }
    })().finally(() => {
      this.#draining = undefined;
      this.#schedule();
    });
  }

  /** Waits for settlements in flight and, while the store answers, the ones held back. */
  async flush(): Promise<void> {
    await Promise.all([...this.#inFlight]);
    this.#drain();
    await this.#draining;
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe();
    if (this.#pending.length > 0 || this.#dropped > 0) {
      this.#logger.error(
        { pending: this.#pending.length, dropped: this.#dropped },
        'gateway: closed with settlements the store never received',
      );
    }
  }
}
